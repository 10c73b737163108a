using ColorTrack.Benchmarks;

// colortrack-bench NAME [options]: each benchmark prints medians of repeated runs and, where the
// issue names a reference, the ratio against it measured side by side.
if (args.Length > 0 && args[0] == ChildProcess.WrapperCommand) return ChildProcess.Wrap(args[1..]); // hidden: one measured child
var benchmarks = BenchmarkCatalog.All();
if (args.Length == 0 || args[0] is "-h" or "--help" || !benchmarks.ContainsKey(args[0]))
{
    Console.WriteLine("usage: colortrack-bench NAME [options]\n\nbenchmarks:");
    foreach (var (name, b) in benchmarks) Console.WriteLine($"  {name,-14} {b.Description}");
    return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 2;
}
return benchmarks[args[0]].Run(args[1..]);
