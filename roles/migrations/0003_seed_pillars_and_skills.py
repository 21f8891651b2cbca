"""The six pillars and the starting skill taxonomy, from the agency's own text."""

from django.db import migrations
from django.utils.text import slugify

PILLARS = [
    {
        "name": "Data Engineer",
        "slug": "data-engineer",
        "summary": "You can't train models on broken data. Data engineers build the pipelines and platforms "
        "that feed ML systems.",
        "owns": "Data quality, lineage, governance and scale of the pipelines and platforms that feed ML.",
        "tools": ["Spark", "Kafka", "Airflow", "Snowflake", "dbt", "Databricks"],
        "industries": "",
        "failure": "Without a strong data engineer, your ML team spends 60% of its time fixing data issues "
        "instead of building models.",
    },
    {
        "name": "ML Engineer",
        "slug": "ml-engineer",
        "summary": "The bridge between data science experiments and production systems: models taken from "
        "notebooks and deployed as APIs, batch jobs or embeddings.",
        "owns": "Model packaging, reproducibility, versioning and monitoring.",
        "tools": ["PyTorch", "TensorFlow", "Model serving frameworks", "Containerization"],
        "industries": "",
        "failure": "Without ML engineers, models stay in notebooks and never reach production.",
    },
    {
        "name": "MLOps Engineer",
        "slug": "mlops-engineer",
        "summary": "CI/CD for models: the infrastructure for model training, testing, versioning and "
        "deployment automation.",
        "owns": "Training, testing, versioning and deployment automation; monitoring, alerting and drift "
        "detection.",
        "tools": ["Kubeflow", "SageMaker", "Vertex AI", "Databricks", "Kubernetes", "Monitoring platforms"],
        "industries": "",
        "failure": "Without MLOps you can't scale from one model to dozens, and nobody notices when models drift.",
    },
    {
        "name": "Embedded AI Engineer",
        "slug": "embedded-ai-engineer",
        "summary": "When your AI needs to run on-device, not in the cloud: models deployed to edge devices, "
        "microcontrollers and real-time systems.",
        "owns": "Models on edge devices, microcontrollers and real-time systems, and their hardware integration.",
        "tools": ["TinyML", "ONNX", "TensorRT", "Real-time constraints", "Hardware integration"],
        "industries": "Robotics, autonomous systems, manufacturing, defence",
        "failure": "On-device and real-time needs go unmet: cloud models can't meet the latency, power or "
        "connectivity limits of robots, vehicles and factory lines.",
    },
    {
        "name": "AI Security Engineer",
        "slug": "ai-security-engineer",
        "summary": "Protecting models and data from adversarial attacks and compliance risks.",
        "owns": "Threat modelling, adversarial testing, governance automation and compliance.",
        "tools": ["OWASP for ML", "NIST AI RMF", "MITRE ATLAS"],
        "industries": "",
        "failure": "Under regulatory pressure or adversarial exposure, models and data go unprotected and "
        "compliance risks pile up.",
    },
    {
        "name": "AI/ML Leader",
        "slug": "ai-ml-leader",
        "summary": "Someone who's done this before and can hire, mentor and set technical direction: often a "
        "Head of AI, VP Engineering or Technical Director.",
        "owns": "Team structure, hiring, mentoring, technology choices and execution of the AI strategy.",
        "tools": ["Production AI delivery", "Hiring", "AI strategy"],
        "industries": "",
        "failure": "Without someone who has shipped production AI, scattered initiatives never become a "
        "coordinated team that delivers.",
    },
]


def seed(apps, schema_editor):
    Pillar = apps.get_model("roles", "Pillar")
    Skill = apps.get_model("roles", "Skill")
    for position, data in enumerate(PILLARS, start=1):
        pillar, _ = Pillar.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "summary": data["summary"],
                "owns": data["owns"],
                "typical_tools": ", ".join(data["tools"]),
                "industries": data["industries"],
                "failure_prevented": data["failure"],
                "position": position,
            },
        )
        for tool in data["tools"]:
            skill, _ = Skill.objects.get_or_create(slug=slugify(tool), defaults={"name": tool})
            skill.pillars.add(pillar)


class Migration(migrations.Migration):
    dependencies = [("roles", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
