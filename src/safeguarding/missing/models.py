"""Missing children work: episodes reported by the police (imported or entered) and the
return home interview offered after each missing episode, within 72 clock hours."""

from __future__ import annotations

from django.db import models

from safeguarding.core.models import Agency, LoadedFile, LocalAuthority, Partnership, User


class EpisodeImport(LoadedFile):
    """One CSV file loaded: all of it or none of it; the same file twice changes nothing."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="missing_imports")
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "sha256"],
                                               name="missing_import_once")]



class Episode(models.Model):
    """A child missing (M) or absent (A), as the police reported it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT,
                                    related_name="missing_episodes")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                        help_text="The child's home LA")
    force_reference = models.CharField(max_length=50)
    category = models.CharField(max_length=1)
    reported_by = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    # The child: the index record (ids only when linked) and a pseudonymous key.
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    child_key = models.CharField(max_length=64, help_text="Pseudonymous key for the child")
    missing_from = models.DateTimeField()
    returned_at = models.DateTimeField(null=True, blank=True)
    where_found = models.CharField(max_length=30, blank=True)
    rhi_due_at = models.DateTimeField(null=True, blank=True,
                                      help_text="When the return interview must be offered by")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    source_import = models.ForeignKey(EpisodeImport, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="episodes")
    row_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "force_reference"],
                                               name="missing_episode_reference_unique")]
        ordering = ["-missing_from"]

    def __str__(self) -> str:
        return f"Episode {self.force_reference}"


class ReturnInterview(models.Model):
    """The return home interview: offered, accepted or declined, held, and what followed."""

    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="interview")
    offered_at = models.DateTimeField()
    accepted = models.BooleanField(null=True, help_text="None until the child answers")
    interview_at = models.DateTimeField(null=True, blank=True)
    interviewer = models.CharField(max_length=200, blank=True,
                                   help_text="Who did it (name and role, independent of the carer)")
    interviewer_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+")
    outcome = models.CharField(max_length=30, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Return interview for {self.episode}"
