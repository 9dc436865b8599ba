/** @odoo-module **/

import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

function scan(code) {
    // what a keyboard-wedge scanner does: fast key presses ending with Enter
    for (const key of [...code, "Enter"]) {
        document.body.dispatchEvent(
            new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true })
        );
    }
}

// The keeper's tool room: the register lists tools only, a scanned label
// opens its tool, the form's actions check the tool out to another
// technician's open order and back in, and report a fault.
registry.category("web_tour.tours").add("equipment_tool_register_tour", {
    steps: () => [
        {
            content: "The register lists the tools, by code",
            trigger: ".o_list_view .o_data_row .o_data_cell:contains(TRT-00002)",
        },
        {
            content: "Laptops stay out of the register (Tools filter)",
            trigger: ".o_list_view:not(:has(.o_data_cell:contains(Tour laptop)))",
        },
        {
            content: "The Tools filter is on, in the user's language",
            trigger: `.o_searchview_facet:contains(${user.lang.startsWith("zh") ? "工具" : "Tools"})`,
        },
        {
            content: "Scan the label of the second tool",
            trigger: ".o_list_view",
            run() {
                scan("TRT-00002");
            },
        },
        {
            content: "The scanned tool opens",
            trigger: ".o_form_view .o_field_widget[name=tool_code]:contains(TRT-00002)",
        },
        {
            content: "Check it out",
            trigger: ".o_form_view button[name=action_check_out]",
            run: "click",
        },
        {
            content: "For another technician's open order",
            trigger: ".modal .o_field_widget[name=service_order_id] input",
            run: "edit SO-TOUR-OPEN",
        },
        {
            trigger: ".ui-menu-item > a:contains(SO-TOUR-OPEN)",
            run: "click",
        },
        {
            content: "Expected back by default a working day later",
            trigger: ".modal .o_field_widget[name=expected_return_at] input",
            run() {
                if (!this.anchor.value) {
                    throw new Error("The check-out has no expected return by default");
                }
            },
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The tool is checked out: Check In is offered",
            trigger: ".o_form_view button[name=action_check_in]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=return_condition] select",
            run: 'select "ok"',
        },
        {
            trigger: ".modal footer button[name=action_check_in]",
            run: "click",
        },
        {
            content: "Back in: it can be checked out again",
            trigger: ".o_form_view button[name=action_check_out]",
        },
        {
            content: "Report a fault",
            trigger: ".o_form_view button[name=action_report_fault]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit Display flickers",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The tool went to repair",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current[data-value=in_repair]",
        },
    ],
});
