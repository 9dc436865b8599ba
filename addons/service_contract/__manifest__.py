{
    "name": "Service Contracts",
    "version": "18.0.1.0.0",
    "summary": "Maintenance contracts on installed products: annual plans approved at two levels, "
    "quarterly reviews, planned visits turned into service orders, compliance",
    "category": "Services/Service Quality",
    "website": "https://github.com/service-quality-suite/service-quality",
    "author": "Service Quality Suite",
    "maintainers": [
        "service-quality-suite",
    ],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": [
        "service_installed_base",
        "service_parts",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/ir_rule.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "views/service_contract_views.xml",
        "views/service_contract_plan_views.xml",
        "views/service_contract_visit_views.xml",
        "views/service_contract_plan_review_views.xml",
        "views/service_order_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/service_contract_demo.xml",
    ],
    "installable": True,
}
