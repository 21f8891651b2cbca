"""The competency rubric of each pillar, drawn from what the agency's own pillar text says each pillar owns.

Each competency: (name, what it covers, level 1, level 2, level 3, level 4). Level 1 is foundation (has used it
under guidance), 2 working (does it alone on one system), 3 advanced (designs it for a team or several
systems), 4 expert (sets the standard others follow, at scale). Recruiters edit the rows in the admin.
"""

from django.db import migrations
from django.utils.text import slugify

RUBRICS: dict[str, list[tuple[str, str, str, str, str, str]]] = {
    "data-engineer": [
        (
            "Pipeline design",
            "Batch and streaming pipelines that feed ML systems (Spark, Kafka, Airflow, dbt).",
            "Has changed existing pipelines under guidance.",
            "Builds and schedules a pipeline end to end, with retries and backfills.",
            "Designs pipelines for several teams: idempotent loads, streaming and batch, clear contracts.",
            "Sets the platform others build on; has migrated or replaced pipelines at company scale.",
        ),
        (
            "Data quality and lineage",
            "Tests on data, lineage from source to feature, catching broken data before models train on it.",
            "Knows why data tests matter; has fixed data issues others found.",
            "Writes data tests and alerts for the pipelines they own.",
            "Introduced quality gates and lineage across a platform; ML teams trust the data.",
            "Made data quality measurable organisation-wide; incidents from bad data are rare and traced fast.",
        ),
        (
            "Governance and access",
            "Data governance: ownership, access control, retention, personal data handled lawfully.",
            "Follows the access and retention rules in place.",
            "Applies access control and retention to the datasets they own.",
            "Designs governance for a platform: catalogue, ownership, audited access to personal data.",
            "Has set the governance model of a data organisation and passed audits with it.",
        ),
        (
            "Scale and cost",
            "Warehouses and lakes at volume (Snowflake, Databricks): partitioning, performance, cost.",
            "Runs queries and jobs on a shared warehouse.",
            "Tunes their jobs' performance and cost; understands partitioning and file layout.",
            "Plans capacity and cost for a platform; solves performance problems others cannot.",
            "Has run data platforms at very large volume and cut their cost substantially.",
        ),
    ],
    "ml-engineer": [
        (
            "Productionising models",
            "Taking models from notebooks to APIs, batch jobs or embeddings services.",
            "Has helped deploy a model someone else packaged.",
            "Deploys a model as an API or batch job on their own.",
            "Designs serving for several models with latency and throughput targets.",
            "Sets how the organisation ships models; has served models at high traffic.",
        ),
        (
            "Packaging and reproducibility",
            "Reproducible training and inference: environments, containers, pinned data and code.",
            "Runs training from a documented setup.",
            "Packages a model so anyone can rebuild and run it (containers, pinned dependencies).",
            "Makes every model in a team reproducible from data, code and configuration.",
            "Defined the packaging standard used across many teams.",
        ),
        (
            "Model versioning",
            "Versioning models, data and experiments; rolling back safely.",
            "Uses the model registry in place.",
            "Versions their models and data and can roll back a release.",
            "Designs versioning and promotion (staging, canary, rollback) for a team.",
            "Owns the organisation's model lifecycle and its audit trail.",
        ),
        (
            "Monitoring in production",
            "Watching models after release: quality, latency, errors.",
            "Reads the dashboards others built.",
            "Adds metrics and alerts for the models they deploy.",
            "Designs model monitoring for a team, tying quality metrics to business outcomes.",
            "Has built monitoring practice for many models and taught others to use it.",
        ),
        (
            "Frameworks (PyTorch, TensorFlow)",
            "Depth in the frameworks and the model serving stack.",
            "Trains standard models from examples.",
            "Writes custom training and inference code with confidence.",
            "Optimises models for production (quantisation, batching, export formats).",
            "Contributes to or extends the frameworks; recognised depth.",
        ),
    ],
    "mlops-engineer": [
        (
            "CI/CD for models",
            "Automated training, testing and deployment of models.",
            "Uses existing pipelines to release models.",
            "Builds a CI/CD pipeline for a model, with tests before release.",
            "Designs automated delivery for dozens of models, with safe rollouts.",
            "Sets the delivery platform an organisation scales on.",
        ),
        (
            "Monitoring and drift detection",
            "Monitoring, alerting and detecting data and concept drift.",
            "Knows what drift is and reads drift reports.",
            "Sets up drift checks and alerts for models in production.",
            "Designs monitoring across models, with retraining triggered by drift.",
            "Built organisation-wide observability for ML, trusted by the business.",
        ),
        (
            "Training infrastructure",
            "Compute for training and experimentation (Kubeflow, SageMaker, Vertex AI, Databricks).",
            "Runs jobs on the platform in place.",
            "Operates training infrastructure for a team, including GPUs and scheduling.",
            "Designs training platforms: multi-tenant, cost-aware, reproducible.",
            "Has built or migrated training platforms at large scale.",
        ),
        (
            "Kubernetes and platform operations",
            "Containers, orchestration, infrastructure as code, reliability.",
            "Deploys with existing manifests.",
            "Writes and operates deployments and infrastructure code for their services.",
            "Runs production clusters for ML workloads, with on-call and capacity planning.",
            "Sets platform standards and solves the hardest reliability problems.",
        ),
    ],
    "embedded-ai-engineer": [
        (
            "Edge deployment",
            "Deploying models to edge devices and microcontrollers (TinyML, ONNX, TensorRT).",
            "Has run a sample model on a development board.",
            "Converts and deploys a model to a target device.",
            "Ships models across a fleet of devices, with updates in the field.",
            "Has led edge AI products to volume production.",
        ),
        (
            "Model optimisation for constrained hardware",
            "Quantisation, pruning, compilation to meet memory, power and latency limits.",
            "Knows the techniques; has applied one with help.",
            "Optimises a model to fit a device's memory and latency budget.",
            "Chooses hardware and optimisation strategy together for a product.",
            "Recognised expert; pushes what the hardware can run.",
        ),
        (
            "Real-time systems",
            "Meeting real-time constraints: scheduling, determinism, safety (robotics, autonomous systems).",
            "Understands real-time constraints.",
            "Builds components that meet their deadlines on a real-time system.",
            "Designs real-time AI pipelines with safety and fallbacks.",
            "Has certified or fielded safety-critical real-time AI systems.",
        ),
        (
            "Hardware integration",
            "Sensors, accelerators, firmware and drivers around the model.",
            "Has worked alongside hardware engineers.",
            "Integrates sensors and accelerators with the software stack.",
            "Leads hardware–software integration for a product.",
            "Shapes hardware choices of a product line.",
        ),
    ],
    "ai-security-engineer": [
        (
            "Threat modelling for ML",
            "Threat models of ML systems: data, models, pipelines and their attackers (MITRE ATLAS).",
            "Knows the common attacks on ML systems.",
            "Writes a threat model for an ML system.",
            "Runs threat modelling across an organisation's ML systems.",
            "Sets the method others use; contributes to public threat knowledge.",
        ),
        (
            "Adversarial testing",
            "Testing models against evasion, poisoning, extraction and prompt injection.",
            "Has run existing adversarial test tools.",
            "Tests a model adversarially and reports fixes.",
            "Builds adversarial testing into the release process.",
            "Finds novel attacks; publishes or leads red teams.",
        ),
        (
            "Governance frameworks",
            "OWASP for ML, NIST AI RMF, MITRE ATLAS, and the regulations they answer.",
            "Knows the frameworks exist and what they cover.",
            "Applies a framework's controls to one system.",
            "Maps an organisation's ML to the frameworks and closes the gaps.",
            "Shapes policy; advises regulators or leads audits.",
        ),
        (
            "Governance automation and compliance",
            "Automating compliance evidence: model cards, audit trails, policy checks in pipelines.",
            "Fills in compliance documentation.",
            "Automates compliance checks for a system.",
            "Builds automated governance across pipelines.",
            "Has made compliance continuous for a regulated organisation.",
        ),
    ],
    "ai-ml-leader": [
        (
            "Team structure and hiring",
            "Staffing the whole lifecycle: which roles, when, and hiring them.",
            "Has taken part in hiring.",
            "Hires and structures a small team.",
            "Built a multi-discipline AI team across the lifecycle.",
            "Has scaled AI organisations and their hiring engines.",
        ),
        (
            "Mentoring and developing people",
            "Growing engineers and scientists; career paths.",
            "Mentors informally.",
            "Manages and develops a few people.",
            "Develops managers and senior specialists.",
            "Known for the leaders they have grown.",
        ),
        (
            "Technology choices",
            "Choosing stack and vendors; build versus buy.",
            "Contributes to technology decisions.",
            "Makes sound choices for a team's stack.",
            "Sets the technical direction of several teams.",
            "Sets an organisation's AI technology strategy.",
        ),
        (
            "Shipping production AI",
            "A record of taking AI systems into production and keeping them there.",
            "Has worked on a production AI system.",
            "Shipped an AI system to production as a lead.",
            "Delivered several production AI systems with measurable impact.",
            "Delivered AI at the core of a business, at scale.",
        ),
        (
            "Executing the AI strategy",
            "Turning scattered initiatives into a coordinated, production-grade programme.",
            "Understands the organisation's AI strategy.",
            "Plans and delivers a team's roadmap.",
            "Aligns several teams and stakeholders on one AI programme.",
            "Owns AI strategy at executive level, with business results.",
        ),
    ],
}


def seed(apps, schema_editor):
    Pillar = apps.get_model("roles", "Pillar")
    Competency = apps.get_model("assessments", "Competency")
    for pillar_slug, competencies in RUBRICS.items():
        pillar = Pillar.objects.filter(slug=pillar_slug).first()
        if pillar is None:  # a pillar renamed or removed before this ran: nothing to attach the rubric to
            continue
        for position, (name, description, level_1, level_2, level_3, level_4) in enumerate(competencies, start=1):
            Competency.objects.update_or_create(
                pillar=pillar,
                slug=slugify(name),
                defaults={
                    "name": name,
                    "description": description,
                    "level_1": level_1,
                    "level_2": level_2,
                    "level_3": level_3,
                    "level_4": level_4,
                    "position": position,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_rubrics_evidence_interviews"),
        ("roles", "0003_seed_pillars_and_skills"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
