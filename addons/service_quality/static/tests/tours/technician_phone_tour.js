/** @odoo-module **/

import { registry } from "@web/core/registry";

// A technician's day on a phone (390 x 844): the Service app opens on his
// agenda; on today's job he starts the work, consumes the parts, writes
// what he did, lets the customer sign and finishes.
registry.category("web_tour.tours").add("service_technician_phone_tour", {
    steps: () => [
        {
            content: "The agenda is the first screen (cards on a phone)",
            trigger: ".o_kanban_view .o_kanban_record:contains(Tour front loader)",
        },
        {
            content: "Address, phone, tools and parts on the card",
            trigger:
                ".o_kanban_record:contains(Tour front loader) .o_sq_agenda_phone a[href^='tel:']",
        },
        { trigger: ".o_kanban_record:contains(Tour front loader) .o_sq_agenda_address:contains(Tour Street)" },
        { trigger: ".o_kanban_record:contains(Tour front loader) .o_sq_agenda_tools:contains(TPT-00001)" },
        { trigger: ".o_kanban_record:contains(Tour front loader) .o_sq_agenda_parts:contains(Tour belt)" },
        {
            content: "Open today's job",
            trigger: ".o_kanban_record:contains(Tour front loader)",
            run: "click",
        },
        {
            content: "Start the work",
            trigger: ".o_sq_phone_actions button[name=action_start]",
            run: "click",
        },
        {
            content: "Consume the parts",
            trigger: ".o_sq_phone_actions button[name=action_consume_parts]",
            run: "click",
        },
        {
            content: "Parts consumed",
            trigger: ".o_notebook .nav-link[name=spare_parts]",
            run: "click",
        },
        {
            content: "Every part line is consumed",
            trigger: ".o_field_widget[name=part_ids] .o_kanban_record .o_sq_part_consumed",
        },
        {
            trigger: ".o_field_widget[name=part_ids]:not(:has(.o_sq_part_draft))",
        },
        {
            content: "What was done",
            trigger: ".o_notebook .nav-link[name=work_done]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=resolution] textarea",
            run: "edit Belt replaced, counterweight tightened, test spin quiet",
        },
        {
            content: "The customer signs",
            trigger: ".o_notebook .nav-link[name=acceptance]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=signed_by] input",
            run: "edit Tour Customer",
        },
        {
            trigger: ".o_field_widget[name=customer_signature] .o_signature",
            run: "click",
        },
        {
            trigger: ".modal .o_web_sign_auto_button",
            run: "click",
        },
        {
            trigger: ".modal .modal-footer button.btn-primary:enabled",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=customer_signature] img",
        },
        {
            content: "Work done",
            trigger: ".o_sq_phone_actions button[name=action_finish]",
            run: "click",
        },
        {
            content: "The job waits for acceptance",
            trigger: ".o_sq_phone_actions:not(:has(button[name=action_finish]))",
        },
    ],
});
