/** @odoo-module **/

import { registry } from "@web/core/registry";
import { Many2OneField } from "@web/views/fields/many2one/many2one_field";
import { ReferenceField, referenceField } from "@web/views/fields/reference/reference_field";

/**
 * The record picker of a borrowing request: the archived records offered by
 * name (name_search with the picker context), without "Search More...",
 * whose list would show nothing to whoever may not read archived records.
 */
class ArchivedRecordMany2One extends Many2OneField {
    get Many2XAutocompleteProps() {
        return { ...super.Many2XAutocompleteProps, noSearchMore: true };
    }
}

export class ArchivedRecordReferenceField extends ReferenceField {
    static components = { ...ReferenceField.components, Many2OneField: ArchivedRecordMany2One };
}

registry.category("fields").add("archived_record_reference", {
    ...referenceField,
    component: ArchivedRecordReferenceField,
});
