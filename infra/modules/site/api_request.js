// CloudFront Function (viewer request) for /api/*: the HTTP API's routes have no /api prefix.
function handler(event) {
  var request = event.request;
  request.uri = request.uri.replace(/^\/api(?=\/|$)/, "") || "/";
  return request;
}
