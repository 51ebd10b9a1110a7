import Foundation

/// Prices in US dollars per million tokens, and the cost of a `Usage`.
///
/// Cache writes cost 1.25× input and cache reads 0.1× input (5-minute cache), as the API prices them.
public struct ModelPricing: Sendable, Hashable {
    public var inputPerMillion: Double
    public var outputPerMillion: Double

    public init(inputPerMillion: Double, outputPerMillion: Double) {
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
    }

    /// The cost of `usage` in dollars.
    public func cost(of usage: Usage) -> Double {
        let input = Double(usage.inputTokens) + 1.25 * Double(usage.cacheCreationInputTokens)
            + 0.1 * Double(usage.cacheReadInputTokens)
        return (input * inputPerMillion + Double(usage.outputTokens) * outputPerMillion) / 1_000_000
    }
}

/// Price lookups by model id prefix.
public enum SessionCost {
    /// Published list prices; unknown models are priced as Sonnet.
    static let table: [(prefix: String, pricing: ModelPricing)] = [
        ("claude-opus-4-5", ModelPricing(inputPerMillion: 5, outputPerMillion: 25)),
        ("claude-opus-4-6", ModelPricing(inputPerMillion: 5, outputPerMillion: 25)),
        ("claude-opus-4", ModelPricing(inputPerMillion: 15, outputPerMillion: 75)),
        ("claude-haiku-4", ModelPricing(inputPerMillion: 1, outputPerMillion: 5)),
        ("claude-3-5-haiku", ModelPricing(inputPerMillion: 0.8, outputPerMillion: 4)),
        ("claude-sonnet", ModelPricing(inputPerMillion: 3, outputPerMillion: 15)),
        ("claude-3-7-sonnet", ModelPricing(inputPerMillion: 3, outputPerMillion: 15)),
    ]

    /// The pricing for `model` (Bedrock and Vertex ids included).
    public static func pricing(for model: String) -> ModelPricing {
        let id = model.split(separator: ".").last.map(String.init) ?? model
        return table.first { id.hasPrefix($0.prefix) }?.pricing ?? ModelPricing(inputPerMillion: 3, outputPerMillion: 15)
    }

    /// The cost of `usage` on `model`, in dollars.
    public static func cost(of usage: Usage, model: String) -> Double { pricing(for: model).cost(of: usage) }

    static func format(_ dollars: Double) -> String { String(format: "%.4f", dollars) }
}
