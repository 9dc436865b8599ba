/** @odoo-module **/

import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * A 1-5 score as five stars: nothing is selected until a person picks a
 * level (an unrated score is not shown as 0). Clicking the selected star
 * again clears it.
 */
export class ScoreField extends Component {
    static template = "service_quality.ScoreField";
    static props = { ...standardFieldProps };

    get value() {
        return this.props.record.data[this.props.name] || 0;
    }

    get levels() {
        const labels = {
            1: _t("Very dissatisfied"),
            2: _t("Dissatisfied"),
            3: _t("Neutral"),
            4: _t("Satisfied"),
            5: _t("Very satisfied"),
        };
        return [1, 2, 3, 4, 5].map((level) => ({ level, label: labels[level] }));
    }

    get label() {
        const current = this.levels.find((l) => l.level === this.value);
        return current ? current.label : _t("Not rated");
    }

    select(level) {
        if (this.props.readonly) {
            return;
        }
        this.props.record.update({ [this.props.name]: level === this.value ? 0 : level });
    }
}

registry.category("fields").add("sq_score", {
    component: ScoreField,
    displayName: _t("Score (1-5 stars)"),
    supportedTypes: ["integer"],
});
