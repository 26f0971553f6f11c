"""Scorecard routes (issue 6): JSON/CSV API, public pages, embeds, badge, oEmbed, embed.js."""
from fastapi import APIRouter

from api.scorecards import json_api, pages

router = APIRouter()
router.include_router(json_api.router)
router.include_router(pages.router)
