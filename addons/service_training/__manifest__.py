{
    "name": "Service Training",
    "version": "18.0.1.0.0",
    "summary": "Training plans, exams, certifications with expiry and the "
    "certified-to-work rule for service technicians",
    "category": "Services/Service Quality",
    "website": "https://github.com/service-quality-suite/service-quality",
    "author": "Service Quality Suite",
    "maintainers": ["service-quality-suite"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["service_quality", "hr", "survey"],
    "data": [
        "security/res_groups.xml",
        "security/ir.model.access.csv",
        "security/ir_rule.xml",
        "views/training_certification_type_views.xml",
        "views/training_certification_views.xml",
        "views/menus.xml",
    ],
    "demo": [],
    "application": True,
    "installable": True,
}
