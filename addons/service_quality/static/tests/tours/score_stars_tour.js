/** @odoo-module **/

import { registry } from "@web/core/registry";

// A new feedback shows empty stars (not "0"); picking the fourth star gives 4.
registry.category("web_tour.tours").add("service_quality_score_stars_tour", {
    steps: () => [
        {
            content: "No score is selected before the person rates",
            trigger: ".o_form_view .o_field_widget[name=score] .o_sq_score",
            timeout: 60000,
            run() {
                const field = this.anchor.closest(".o_field_widget");
                if (field.querySelector(".fa-star:not(.fa-star-o)") || /\b0\b/.test(field.textContent)) {
                    throw new Error("A new feedback shows a score before anybody rated");
                }
            },
        },
        {
            content: "Pick four stars",
            trigger: ".o_form_view .o_field_widget[name=score] a.o_sq_score_star[data-level='4']",
            run: "click",
        },
        {
            content: "Four stars are lit",
            trigger: ".o_form_view .o_field_widget[name=score]:has(a[data-level='4'] .fa-star.text-warning):not(:has(a[data-level='5'] .fa-star.text-warning))",
        },
        {
            content: "Discard the unsaved feedback",
            trigger: ".o_form_view .o_form_button_cancel",
            run: "click",
        },
        {
            content: "Back to the feedback list",
            trigger: ".o_list_view, .o_kanban_view",
        },
    ],
});
