"""The target load: how many users, how busy at peak, and what each one costs in demand.

Defaults are the stress-test report's figures. The time basis is explicit: every
``*_per_month`` figure is compared with a monthly quota, ``peak_*`` figures with
instantaneous limits (RAM, connections), and ``peak_day_share`` turns a month's
requests into the busiest day's, for per-day rate limits.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class _Model(BaseModel):
    # Stack config keys are camelCase (Pulumi convention); Python names are snake_case.
    model_config = ConfigDict(
        frozen=True, extra="forbid", alias_generator=to_camel, populate_by_name=True
    )


class Demand(_Model):
    """Per-user and per-event demand figures. Sizes in decimal KB/MB."""

    # Supabase database
    profile_kb: float = Field(5, ge=0, description="stored per user profile")
    class_plan_kb: float = Field(50, ge=0, description="stored per generated class")
    analytics_kb_per_session: float = Field(10, ge=0, description="stored per played class")
    seed_data_mb: float = Field(20, ge=0, description="movement and music seed data")
    registration_read_kb: float = Field(5, ge=0, description="DB egress per registration")
    generation_read_kb: float = Field(200, ge=0, description="DB egress per class generation")
    playback_read_kb: float = Field(500, ge=0, description="DB egress per class played")
    connections_per_active_user: float = Field(2, ge=0, description="simultaneous DB queries per active user")
    # Supabase Storage (voiceover audio)
    voiceover_files: int = Field(40, ge=0)
    voiceover_file_mb: float = Field(2, ge=0)
    voiceover_sections_per_session: int = Field(6, ge=0)
    voiceover_section_mb: float = Field(2, ge=0)
    # Internet Archive music
    music_minutes_per_session: float = Field(30, ge=0)
    music_mb_per_minute: float = Field(2.86, ge=0)
    music_tracks_per_session: int = Field(10, ge=0)
    # CloudFront videos
    videos_per_session: int = Field(9, ge=0)
    video_mb: float = Field(20, ge=0)
    # Render backend
    ai_request_mb: float = Field(50, ge=0, description="RAM held by one AI generation in flight")
    default_request_mb: float = Field(0, ge=0, description="RAM held by one DEFAULT-mode generation")
    process_base_mb: float = Field(0, ge=0, description="RAM of an idle backend process (the report ignores it)")
    # OpenAI
    ai_generation_seconds: float = Field(40, gt=0, description="wall time of one AI generation")
    openai_calls_per_generation: float = Field(1, ge=0)
    openai_usd_per_generation: float = Field(0.25, ge=0)
    # Netlify frontend
    page_loads_per_user_per_month: float = Field(10, ge=0)
    bundle_mb: float = Field(2, ge=0)
    deploys_per_month: float = Field(4, ge=0)
    build_minutes_per_deploy: float = Field(5, ge=0)


class Load(_Model):
    """The target load of one stack (``tierguard:`` keys in its stack config)."""

    users: int = Field(100, gt=0, description="registered users")
    peak_concurrency: float = Field(0.2, gt=0, le=1, description="share of users active at the peak")
    ai_mode: bool = Field(True, description="the app offers AI-mode class generation")
    ai_share: float = Field(0.5, ge=0, le=1, description="share of generations in AI mode")
    peak_ai_share: float = Field(
        1.0, ge=0, le=1, description="share of peak generations in AI mode (report: all of them)"
    )
    sessions_per_user_per_month: float = Field(1, ge=0, description="classes played per user per month")
    generations_per_user_per_month: float = Field(1, ge=0, description="classes generated per user per month")
    peak_day_share: float = Field(
        1.0, gt=0, le=1, description="share of a month's sessions on the busiest day (report: all)"
    )
    demand: Demand = Field(default_factory=Demand)

    # Derived quantities: one place for the arithmetic every check shares.
    @property
    def peak_users(self) -> int:
        """Users active at the peak, rounded up: 20.2 active users need 21 slots."""
        return math.ceil(round(self.users * self.peak_concurrency, 9))

    @property
    def sessions(self) -> float:
        return self.users * self.sessions_per_user_per_month

    @property
    def generations(self) -> float:
        return self.users * self.generations_per_user_per_month

    @property
    def ai_generations(self) -> float:
        return self.generations * self.ai_share if self.ai_mode else 0.0

    @property
    def peak_ai_generations(self) -> int:
        """AI generations in flight at the peak."""
        return math.ceil(round(self.peak_users * self.peak_ai_share, 9)) if self.ai_mode else 0

    def with_users(self, users: int) -> "Load":
        return self.model_copy(update={"users": users})
