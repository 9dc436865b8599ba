/** @odoo-module **/

import { registry } from "@web/core/registry";

// A customer requests a service from /my and finds it confirmed; complaint
// pages have their breadcrumb.
registry.category("web_tour.tours").add("service_portal_request_tour", {
    steps: () => [
        {
            content: "The service orders tile shows its count",
            trigger: ".o_sq_portal_count[data-counter=service_order]",
        },
        {
            content: "Small pictograms, not the app icon",
            trigger: ".o_portal_icon img[src$='service_order.svg']",
            run() {
                const width = this.anchor.getBoundingClientRect().width;
                if (width > 80) {
                    throw new Error(`The tile icon is ${width} px wide`);
                }
            },
        },
        {
            content: "The page speaks the customer's language",
            trigger: "body",
            run() {
                // the test opens /my?tour_lang=<the user's language>
                const lang = new URLSearchParams(window.location.search).get("tour_lang") || "";
                const zh = lang.startsWith("zh");
                const title = document.querySelector("a[href$='/my/service_orders/new']").textContent;
                if (!title.includes(zh ? "申请服务" : "Request a Service")) {
                    throw new Error(`Tile title not in the page's language: ${title}`);
                }
            },
        },
        {
            content: "Request a service",
            trigger: "a[href$='/my/service_orders/new']",
            run: "click",
        },
        {
            trigger: "input[name=appliance]",
            run: "edit Tour dishwasher SN23",
        },
        {
            trigger: "input[name=serial_number]",
            run: "edit TOUR-0042",
        },
        {
            trigger: "textarea[name=description]",
            run: "edit Water stays at the bottom after the cycle.",
        },
        {
            content: "A preferred time slot",
            trigger: "input[name=slot_date_1]",
            run() {
                this.anchor.value = "2030-05-06";
            },
        },
        {
            trigger: "select[name=slot_period_1]",
            run: "select afternoon",
        },
        {
            content: "Send the request",
            trigger: "button.o_sq_request_submit",
            run: "click",
        },
        {
            content: "The request is confirmed on the order's page",
            trigger: ".o_sq_request_ok",
        },
        {
            trigger: ".o_portal_service_order:contains(Tour dishwasher SN23)",
        },
        {
            content: "The confirmation is in the order's history",
            trigger: ".o_portal_chatter, #chatterRoot, .o_portal_chatter_messages, .o-mail-Thread",
        },
        {
            content: "Open the complaint form",
            trigger: "body",
            run() {
                window.location.href = "/my/complaints/new";
            },
        },
        {
            content: "Breadcrumb back to the complaints",
            trigger: ".o_portal_submenu a[href$='/my/complaints']",
        },
    ],
});
