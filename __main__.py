"""The Bassline stack: Render backend, Supabase project, CloudFront for videos."""

from tierguard.program import declare

declare()
