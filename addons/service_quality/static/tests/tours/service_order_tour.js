/** @odoo-module **/

import { registry } from "@web/core/registry";

function statusIs(label) {
    return {
        content: `The order is ${label}`,
        trigger: `.o_statusbar_status .o_arrow_button_current:contains(${label})`,
    };
}

function openTab(label) {
    return {
        content: `Open the ${label} tab`,
        trigger: `.o_notebook .nav-link:contains(${label})`,
        run: "click",
    };
}

registry.category("web_tour.tours").add("service_order_intake_to_closed", {
    steps: () => [
        {
            content: "Record a new request",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Pick the customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Customer",
        },
        {
            trigger: ".ui-menu-item > a:contains(Tour Customer)",
            run: "click",
        },
        {
            content: "Say which appliance",
            trigger: ".o_field_widget[name=appliance] input",
            run: "edit Haier washing machine",
        },
        openTab("Assessment"),
        {
            content: "Write the diagnosis",
            trigger: ".o_field_widget[name=diagnosis] textarea",
            run: "edit Carbon brushes worn out",
        },
        {
            content: "Write the plan",
            trigger: ".o_field_widget[name=plan] textarea",
            run: "edit Replace both carbon brushes",
        },
        {
            content: "Mark the order assessed",
            trigger: "button[name=action_assess]",
            run: "click",
        },
        statusIs("Assessed"),
        {
            content: "Book the technician",
            trigger: ".o_field_widget[name=user_id] input",
            run: "edit Tour Technician",
        },
        {
            trigger: ".ui-menu-item > a:contains(Tour Technician)",
            run: "click",
        },
        {
            content: "Appointment start",
            trigger: ".o_field_widget[name=appointment_start] input",
            run: "edit 03/04/2030 09:00:00 && press Escape",
        },
        {
            content: "Appointment end",
            trigger: ".o_field_widget[name=appointment_end] input",
            run: "edit 03/04/2030 11:00:00 && press Escape",
        },
        {
            content: "Schedule",
            trigger: "button[name=action_schedule]",
            run: "click",
        },
        statusIs("Scheduled"),
        {
            content: "Start the work",
            trigger: "button[name=action_start]",
            run: "click",
        },
        statusIs("In Progress"),
        openTab("Work Done"),
        {
            content: "Describe the work done",
            trigger: ".o_field_widget[name=resolution] textarea",
            run: "edit Brushes replaced, 30 min test run without noise",
        },
        {
            content: "Work done",
            trigger: "button[name=action_finish]",
            run: "click",
        },
        statusIs("To Accept"),
        openTab("Customer Acceptance"),
        {
            content: "Name of the signer",
            trigger: ".o_field_widget[name=signed_by] input",
            run: "edit Tour Customer",
        },
        {
            content: "Open the signature pad",
            trigger: ".o_field_widget[name=customer_signature] .o_signature",
            run: "click",
        },
        {
            content: "Sign automatically from the name",
            trigger: ".modal .o_web_sign_auto_button",
            run: "click",
        },
        {
            content: "Adopt the signature",
            trigger: ".modal .modal-footer button.btn-primary:enabled",
            run: "click",
        },
        {
            content: "Customer accepted",
            trigger: ".o_form_view:not(:has(.modal)) button[name=action_accept]",
            run: "click",
        },
        statusIs("Done"),
        {
            content: "Record the return visit",
            trigger: "button[name=action_record_return_visit]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        statusIs("Closed"),
    ],
});
