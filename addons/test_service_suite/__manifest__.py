{
    "name": "Service Quality Suite Tests",
    "version": "18.0.1.0.0",
    "summary": "Cross-addon tests of the Service Quality Suite (test-only, never installed in production)",
    "category": "Hidden/Tests",
    "website": "https://github.com/service-quality-suite/service-quality",
    "author": "Service Quality Suite",
    "maintainers": [
        "service-quality-suite",
    ],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": [
        "service_quality",
        "service_training",
        "equipment_care",
        "service_audit",
        "service_installed_base",
        "service_sale",
        "service_parts",
        "service_contract",
    ],
    "installable": True,
}
