// GraphiQL for policy-admin: queries and mutations over HTTP, subscriptions over the
// graphql-transport-ws socket at /graphql/ws. The headers typed in the Headers tab go with
// every HTTP request and, as the connection_init payload, with every subscription.
(function () {
  "use strict";
  var wsScheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  var base = GraphiQL.createFetcher({
    url: "/graphql",
    subscriptionUrl: wsScheme + "//" + window.location.host + "/graphql/ws",
  });
  // The Headers tab starts with a hint; until a real token replaces it, requests go without
  // Authorization (the server would refuse the placeholder as a bad token).
  var PLACEHOLDER = "Bearer <accessToken from the login mutation>";
  function fetcher(params, opts) {
    if (opts && opts.headers && opts.headers.Authorization === PLACEHOLDER) {
      var headers = Object.assign({}, opts.headers);
      delete headers.Authorization;
      opts = Object.assign({}, opts, { headers: headers });
    }
    return base(params, opts);
  }
  var defaultHeaders = JSON.stringify({ Authorization: PLACEHOLDER }, null, 2);
  var defaultQuery = [
    "# Sign in, copy accessToken into the Headers tab below, then run MyDepartment.",
    "mutation Login($email: String!, $password: String!) {",
    "  login(email: $email, password: $password) { accessToken refreshToken }",
    "}",
    "",
    "query MyDepartment {",
    "  me { email role department { code name } }",
    "}",
    "",
  ].join("\n");
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultHeaders: defaultHeaders,
      defaultQuery: defaultQuery,
      defaultEditorToolsVisibility: "headers",
      shouldPersistHeaders: false,
      visiblePlugin: GraphiQL.React.DOC_EXPLORER_PLUGIN,
    })
  );
})();
