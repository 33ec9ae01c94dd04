"""The HTTP toolkit shared by the API surfaces and the products: request bodies, typed
dependencies, JSON responses, the OpenAPI document and the request middleware."""
