{
    "name": "Equipment Care",
    "version": "18.0.1.0.0",
    "summary": "Tool and instrument register, check-out, inspection and "
    "calibration, fault handling, retirement and spare parts for service orders",
    "category": "Services/Service Quality",
    "website": "https://github.com/service-quality-suite/service-quality",
    "author": "Service Quality Suite",
    "maintainers": ["service-quality-suite"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["service_quality", "maintenance", "stock"],
    "data": [
        "security/res_groups.xml",
        "security/ir.model.access.csv",
        "views/maintenance_equipment_views.xml",
        "views/menus.xml",
        "data/service_retention_policy_data.xml",
    ],
    "demo": [],
    "application": True,
    "installable": True,
}
