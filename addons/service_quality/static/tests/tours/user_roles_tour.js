/** @odoo-module **/

import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

// An administrator opens a user in normal mode (no debug) and finds every
// role of the suite as a choice of a drop-down on the Access Rights tab.
registry.category("web_tour.tours").add("service_quality_user_roles_tour", {
    steps: () => [
        {
            content: "Open the Access Rights tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name=access_rights]",
            timeout: 60000,
            run: "click",
        },
        {
            content: "Every role is offered by a visible drop-down",
            trigger: ".o_form_view .o_notebook .tab-pane.active select",
            async run() {
                if (odoo.debug) {
                    throw new Error("The tour must run in normal mode, not in debug mode");
                }
                const [category] = await rpc("/web/dataset/call_kw/ir.model.data/search_read", {
                    model: "ir.model.data",
                    method: "search_read",
                    args: [
                        [
                            ["module", "=", "service_quality"],
                            ["name", "=", "module_category_service_quality"],
                        ],
                        ["res_id"],
                    ],
                    kwargs: {},
                });
                const roles = await rpc("/web/dataset/call_kw/res.groups/search_read", {
                    model: "res.groups",
                    method: "search_read",
                    args: [[["category_id.parent_id", "=", category.res_id]], ["name"]],
                    kwargs: {},
                });
                if (roles.length < 5) {
                    throw new Error(`Only ${roles.length} roles found`);
                }
                const offered = new Set();
                for (const select of document.querySelectorAll(".o_form_view select")) {
                    if (!select.offsetParent) {
                        continue;
                    }
                    for (const option of select.options) {
                        offered.add(option.textContent.trim());
                    }
                }
                const missing = roles.map((r) => r.name).filter((name) => !offered.has(name));
                if (missing.length) {
                    throw new Error(`Roles without a drop-down: ${missing.join(", ")}`);
                }
            },
        },
    ],
});
