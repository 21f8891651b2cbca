from rest_framework import serializers

from candidates.models import Candidate


class MatchCandidateSerializer(serializers.ModelSerializer):
    primary_pillar = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Candidate
        fields = ["id", "name", "current_title", "current_company", "location", "primary_pillar", "seniority", "status"]


class MatchSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    score = serializers.IntegerField(help_text="0–100: the sum of the points below (weights in docs/search.md).")
    candidate = MatchCandidateSerializer()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="What fits, e.g. skills held.")
    gaps = serializers.ListField(child=serializers.CharField(), help_text="What does not, e.g. 'no TensorRT'.")
    points = serializers.DictField(child=serializers.FloatField(), help_text="Points per component.")


class MatchPageSerializer(serializers.Serializer):
    ranking_log_id = serializers.IntegerField(help_text="This list in the ranking log; send it back when adding.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = MatchSerializer(many=True)


class MatchAddSerializer(serializers.Serializer):
    candidate_id = serializers.IntegerField(min_value=1)
    ranking_log_id = serializers.IntegerField(min_value=1, required=False, help_text="The list it was chosen from.")


class MatchAddedSerializer(serializers.Serializer):
    submission_id = serializers.IntegerField()
    stage = serializers.CharField()
