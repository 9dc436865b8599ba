/** @odoo-module **/

import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

// The manager's overview: figures (those of other addons too), trends, a
// figure opening exactly the records it counts, periods, the KPI pivot.
// Language-neutral selectors; labels are checked per language.
let atRisk = null;

registry.category("web_tour.tours").add("service_dashboard_tour", {
    steps: () => [
        {
            content: "The headline figures are shown",
            trigger: ".o_sq_dashboard .o_sq_figure[data-key=open_orders] .o_sq_figure_value",
        },
        {
            content: "Labels in the user's language",
            trigger: `.o_sq_figure[data-key=open_orders]:contains(${
                user.lang.startsWith("zh") ? "未完成工单" : "Open Orders"
            })`,
        },
        {
            content: "Figures contributed by the tool room and training addons",
            trigger: ".o_sq_figure[data-key=tools_calibration_overdue]",
        },
        { trigger: ".o_sq_figure[data-key=certificates_expiring]" },
        {
            content: "Trend charts are drawn",
            trigger: ".o_sq_trend[data-trend=sla_met_rate] canvas",
        },
        {
            content: "Open the orders at risk",
            trigger: ".o_sq_figure[data-key=at_risk]",
            run() {
                atRisk = this.anchor.querySelector(".o_sq_figure_value").textContent.trim();
                this.anchor.click();
            },
        },
        {
            content: "The list holds as many orders as the figure says",
            trigger: ".o_list_view .o_data_row",
            run() {
                const rows = document.querySelectorAll(".o_list_view .o_data_row").length;
                if (String(rows) !== atRisk) {
                    throw new Error(`The figure says ${atRisk}, the list shows ${rows} orders`);
                }
            },
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li:first-child a",
            run: "click",
        },
        {
            content: "Another period",
            trigger: ".o_sq_dashboard_periods button[data-period=year]",
            run: "click",
        },
        { trigger: ".o_sq_dashboard_periods button.active[data-period=year]" },
        {
            content: "Drill down into the KPI pivot",
            trigger: ".o_sq_dashboard_analysis",
            run: "click",
        },
        {
            content: "The pivot opens",
            trigger: ".o_pivot_view .o_pivot table",
        },
    ],
});
