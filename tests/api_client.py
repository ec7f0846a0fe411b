"""A small helper that calls the JSON API as a given user, with a bearer token."""

import json

from django.test import Client

from accounts.models import ApiToken


class ApiClient:
    def __init__(self, user=None):
        self.client = Client()
        self.headers = {}
        if user is not None:
            _row, raw = ApiToken.issue(user)
            self.headers["Authorization"] = f"Bearer {raw}"

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path, data=None):
        return self.client.post(f"/api/v1{path}", json.dumps(data or {}),
                                content_type="application/json", headers=self.headers)

    def put(self, path, data):
        return self.client.put(f"/api/v1{path}", json.dumps(data),
                               content_type="application/json", headers=self.headers)

    def transition(self, application_id, name, **body):
        return self.post(f"/applications/{application_id}/transitions/{name}", body)
