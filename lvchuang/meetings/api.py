from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    """Adds this app's viewsets to the API router (config/api_urls.py)."""
