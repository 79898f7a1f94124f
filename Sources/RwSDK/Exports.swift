// The modules every app gets with `import RwSDK`: the state module holds the request and
// response types and `defineRwState`.
@_exported import RwState
