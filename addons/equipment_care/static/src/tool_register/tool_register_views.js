import { scanBarcode } from "@web/core/barcode/barcode_dialog";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";
import { KanbanController } from "@web/views/kanban/kanban_controller";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { ListController } from "@web/views/list/list_controller";
import { listView } from "@web/views/list/list_view";

/**
 * The tool register opens a tool from its label: a scan from the tool
 * room's barcode scanner (the web client's barcode service, keyboard
 * wedge) or from the phone's camera (Scan button) is looked up by code
 * on the server, which answers with the tool's form, the matching tools,
 * or a notification when no tool has that code.
 */
function useToolScanner() {
    const orm = useService("orm");
    const action = useService("action");
    const barcode = useService("barcode");
    const openCode = async (code) => {
        const result = await orm.call("maintenance.equipment", "action_open_by_code", [code]);
        if (result) {
            await action.doAction(result);
        }
    };
    useBus(barcode.bus, "barcode_scanned", (ev) => openCode(ev.detail.barcode));
    return {
        openCode,
        cameraSupported: isBarcodeScannerSupported(),
    };
}

async function scanWithCamera(env, scanner) {
    const code = await scanBarcode(env);
    if (code) {
        await scanner.openCode(code);
    }
}

export class ToolRegisterListController extends ListController {
    setup() {
        super.setup();
        this.scanner = useToolScanner();
    }
    onClickScan() {
        return scanWithCamera(this.env, this.scanner);
    }
}

export class ToolRegisterKanbanController extends KanbanController {
    setup() {
        super.setup();
        this.scanner = useToolScanner();
    }
    onClickScan() {
        return scanWithCamera(this.env, this.scanner);
    }
}

registry.category("views").add("tool_register_list", {
    ...listView,
    Controller: ToolRegisterListController,
    buttonTemplate: "equipment_care.ToolRegisterListView.Buttons",
});

registry.category("views").add("tool_register_kanban", {
    ...kanbanView,
    Controller: ToolRegisterKanbanController,
    buttonTemplate: "equipment_care.ToolRegisterKanbanView.Buttons",
});
