import AgentCore

extension CambioAPI {
    /// `GET /health`: seed 001's "Health Check" and seed 004's "GET /health" in one object.
    ///
    /// `services.database` is a real query (at most once a second, ``HealthProbe``);
    /// `services.desktops` and `services.live_view` say whether Xvfb and x11vnc are installed;
    /// `services.model_provider` is ``CambioConfiguration/modelProvider``. `websocket_connections`
    /// counts the WebSocket connections open now on any route. 503 `unhealthy` when the database
    /// does not answer.
    func registerHealth(on router: inout Router) {
        let health = self.health
        let connections = self.connections
        let configuration = self.configuration
        router.add("GET", "/health", errors: Self.errors) { _ in
            let databaseUp = await health.statusCounts() != nil
            let open = connections.open
            var services: [String: JSONValue] = [                          // seed 001, agentd's own services
                "database": databaseUp ? "up" : "down",
                "desktops": DesktopAvailability.isInstalled ? "up" : "unavailable",
                "live_view": DesktopLiveView.isInstalled ? "up" : "unavailable",
                "model_provider": .string(configuration.modelProvider),
            ]
            if let isolation = configuration.sandboxIsolation { services["sandbox"] = .string(isolation) }   // seed 003's executions
            let body: JSONValue = [
                "status": databaseUp ? "healthy" : "unhealthy",           // seeds 001, 003 and 004
                "timestamp": .string(CambioTime.now()),                   // seed 001
                "services": .object(services),
                "auth": .string(configuration.authMode),
                "version": .string(configuration.version),                // seed 001
                "websocket_connected": .bool(open > 0),                   // seed 004
                "websocket_connections": .int(open),                      // seed 004
            ]
            return .json(databaseUp ? 200 : 503, body)
        }
    }
}
