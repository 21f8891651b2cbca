from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from partners.models import PartnerScope, WebhookSubscription
from partners.webhooks import webhook_subscribe, webhook_unsubscribe
from sonitec.api.idempotency import idempotent
from sonitec.api.views import PartnerViewSet

from .serializers import WebhookSubscriptionCreatedSerializer, WebhookSubscriptionSerializer


@extend_schema_view(
    list=extend_schema(tags=["webhooks"]),
    retrieve=extend_schema(tags=["webhooks"]),
    destroy=extend_schema(tags=["webhooks"]),
    create=extend_schema(
        tags=["webhooks"],
        request=WebhookSubscriptionSerializer,
        responses={201: WebhookSubscriptionCreatedSerializer},
        description="Subscribe an https URL (public addresses only) to events. The response carries the `secret` "
        "that signs deliveries; it is shown only here.",
    ),
)
class WebhookSubscriptionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, PartnerViewSet
):
    """Your webhook subscriptions."""

    serializer_class = WebhookSubscriptionSerializer
    required_scope = PartnerScope.WEBHOOKS_MANAGE
    cursor_ordering = ("id",)
    queryset = WebhookSubscription.objects.none()

    def get_queryset(self):
        if self.partner is None:  # schema generation
            return WebhookSubscription.objects.none()
        return WebhookSubscription.objects.filter(partner=self.partner)

    def create(self, request):
        def handle() -> Response:
            serializer = WebhookSubscriptionSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            subscription = webhook_subscribe(partner=self.partner, **serializer.validated_data)
            return Response(WebhookSubscriptionCreatedSerializer(subscription).data, status=status.HTTP_201_CREATED)

        return idempotent(request, handle)

    def perform_destroy(self, instance):
        webhook_unsubscribe(subscription=instance)
