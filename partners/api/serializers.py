from rest_framework import serializers

from partners.models import WebhookEvent, WebhookSubscription


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices), min_length=1)

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "is_active", "suspended_at", "created_at"]
        read_only_fields = ["id", "is_active", "suspended_at", "created_at"]


class WebhookSubscriptionCreatedSerializer(WebhookSubscriptionSerializer):
    """Returned once, on creation: the secret that signs this subscription's deliveries."""

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = [*WebhookSubscriptionSerializer.Meta.read_only_fields, "secret"]
