import { Component, onMounted, onPatched, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";

const COLORS = ["#017e84", "#714b67", "#e99d00", "#2e7d32", "#c62828"];

/**
 * One monthly trend of the KPI report as a Chart.js chart (the library of
 * Odoo's graph view); a click opens the KPI pivot on the same months.
 */
export class ServiceTrendChart extends Component {
    static template = "service_quality.ServiceTrendChart";
    static props = { trend: Object, color: String, onOpen: Function };

    setup() {
        this.canvasRef = useRef("canvas");
        this.chart = null;
        onMounted(() => this.renderChart());
        onPatched(() => this.renderChart());
        onWillUnmount(() => this.chart?.destroy());
    }

    renderChart() {
        this.chart?.destroy();
        const { trend, color } = this.props;
        this.chart = new Chart(this.canvasRef.el, {
            type: trend.type,
            data: {
                labels: trend.labels,
                datasets: [
                    {
                        label: trend.label,
                        data: trend.values,
                        borderColor: color,
                        backgroundColor: trend.type === "bar" ? color + "99" : color + "22",
                        fill: trend.type !== "bar",
                        spanGaps: true,
                        tension: 0,
                    },
                ],
            },
            options: {
                maintainAspectRatio: false,
                animation: false,
                plugins: { legend: { display: false } },
                scales: { y: { beginAtZero: true } },
                onClick: () => this.props.onOpen(trend),
            },
        });
    }
}

/**
 * Service → Reporting → KPI Dashboard: headline figures, each opening the
 * records it counts, monthly trends, and the KPI pivot as drill-down. The
 * server (``service.dashboard.get_dashboard``) computes everything from the
 * KPI report; this component only shows it.
 */
export class ServiceDashboard extends Component {
    static template = "service_quality.ServiceDashboard";
    static components = { Layout, ServiceTrendChart };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({
            period: this.props.action?.context?.period || "month",
            data: null,
        });
        this.colors = COLORS;
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            await this.load();
        });
    }

    get display() {
        return { controlPanel: {} };
    }

    async load() {
        this.state.data = await this.orm.call("service.dashboard", "get_dashboard", [], {
            period: this.state.period,
        });
    }

    async setPeriod(period) {
        this.state.period = period;
        await this.load();
    }

    openFigure(figure) {
        return this.actionService.doAction(figure.action);
    }

    openTrend(trend) {
        return this.actionService.doAction(trend.action);
    }

    openAnalysis() {
        return this.actionService.doAction(this.state.data.analysis_action);
    }
}

registry.category("actions").add("service_quality.dashboard", ServiceDashboard);
