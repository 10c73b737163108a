namespace ColorTrack.Model;

/// <summary>
/// What a non-strict state_dict load did (PyTorch's strict=false): the keys copied, the module's keys
/// the file did not have (left as initialised), the file's keys the module does not have (ignored),
/// and keys whose tensor was adapted to fit (e.g. an RGB conv1 summed over colour for gray input).
/// </summary>
public sealed record StateDictLoadReport(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> Adapted)
{
    public override string ToString() =>
        $"{Loaded.Count} loaded, {Missing.Count} missing{List(Missing)}, {Unexpected.Count} unexpected{List(Unexpected)}"
        + (Adapted.Count > 0 ? $", adapted: {string.Join(", ", Adapted)}" : "");

    static string List(IReadOnlyList<string> keys) =>
        keys.Count == 0 ? "" : $" ({string.Join(", ", keys.Take(6))}{(keys.Count > 6 ? ", ..." : "")})";
}
