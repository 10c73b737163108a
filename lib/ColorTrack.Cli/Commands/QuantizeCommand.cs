using System.CommandLine;
using ColorTrack.Color;
using ColorTrack.Data;
using ColorTrack.Runtime;
using Spectre.Console;

namespace ColorTrack.Cli.Commands;

/// <summary>`colortrack quantize`: fit the k-means colour bins (the training targets) on a set of videos.</summary>
public static class QuantizeCommand
{
    public static Command Create()
    {
        var videos = new Option<string[]>("--videos") { Description = "Videos: files, image folders, DAVIS roots, folders of videos or .txt lists", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Bins file to write (JSON)", Required = true };
        var k = new Option<int>("--k") { Description = "Number of colour bins", DefaultValueFactory = _ => KMeansOptions.Paper.K };
        var samples = new Option<int>("--samples") { Description = "ab samples to cluster at most (a seeded random subset)", DefaultValueFactory = _ => 300_000 };
        var restarts = new Option<int>("--restarts") { Description = "k-means++ restarts; the best is kept", DefaultValueFactory = _ => KMeansOptions.Paper.Restarts };
        var everyFrame = new Option<int>("--every-frame") { Description = "Use every n-th frame", DefaultValueFactory = _ => 10 };
        var everyPixel = new Option<int>("--every-pixel") { Description = "Use every n-th pixel of a frame", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "Seed of the sample subset and the k-means restarts", DefaultValueFactory = _ => 0 };
        var threads = ComputeThreads.CreateOption();
        var cmd = new Command("quantize", "Fit k-means colour bins in the ab plane of Lab on a set of videos and save them as JSON.")
        {
            videos, output, k, samples, restarts, everyFrame, everyPixel, seed, threads,
        };
        cmd.SetAction(p =>
        {
            AtomicFile.CheckWritable(p.GetValue(output)!); // before the videos are decoded and clustered
            var set = VideoSet.FromPaths(p.GetValue(videos)!);
            var options = new KMeansOptions(K: p.GetValue(k), Restarts: p.GetValue(restarts), Seed: p.GetValue(seed), Threads: ComputeThreads.Apply(p.GetValue(threads)));
            if (options.K < 2 || options.K > 256) throw new BadInputException("--k", "must be within 2..256");
            if (options.Restarts < 1) throw new BadInputException("--restarts", "must be at least 1");
            float[] ab = Array.Empty<float>();
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("sampling ab", maxValue: set.Count);
                    ab = AbSampleCollector.Collect(set, p.GetValue(everyFrame), p.GetValue(everyPixel), p.GetValue(samples), p.GetValue(seed),
                        progress: (done, _) => task.Value = done);
                });
            if (ab.Length / 2 < options.K) throw new BadInputException(string.Join(' ', p.GetValue(videos)!), $"only {ab.Length / 2} colour samples, fewer than {options.K} bins");
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var bins = KMeansColorQuantizer.Fit(ab, options);
            var seconds = watch.Elapsed.TotalSeconds;
            var path = p.GetValue(output)!;
            bins.Save(path, RunProvenance.Capture("quantize", new { Videos = set.Videos.Select(v => v.Name).ToArray(), Samples = ab.Length / 2, Options = options,
                EveryFrame = p.GetValue(everyFrame), EveryPixel = p.GetValue(everyPixel) }, options.Seed));

            var table = new Table().AddColumns("bin", "a", "b", "samples", "share");
            for (int j = 0; j < bins.K; j++)
            {
                var (a, b) = bins.Color(j);
                table.AddRow($"{j}", $"{a:F2}", $"{b:F2}", $"{bins.ClusterSizes[j]}", $"{100.0 * bins.ClusterSizes[j] / bins.SampleCount:F1}%");
            }
            AnsiConsole.Write(table);
            Console.WriteLine($"{ab.Length / 2} samples from {set.Count} videos, k={bins.K}, {options.Restarts} restarts in {seconds:F2} s: " +
                $"inertia {bins.Inertia:F1} (mean squared distance {bins.Inertia / bins.SampleCount:F3})");
            Console.WriteLine($"wrote {Path.GetFullPath(path)}");
            return 0;
        });
        return cmd;
    }
}
