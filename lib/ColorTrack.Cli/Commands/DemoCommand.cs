using System.CommandLine;
using ColorTrack.Cli.Demo;
using ColorTrack.Runtime;
using Spectre.Console;

namespace ColorTrack.Cli.Commands;

/// <summary>`colortrack demo`: the main job, end to end, on the embedded synthetic video by default.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var d = new DemoOptions();
        var output = new Option<string>("--out") { Description = "Output folder (new, empty, or a previous demo's)", DefaultValueFactory = _ => d.Out };
        var minutes = new Option<double>("--minutes") { Description = "Training time budget in minutes", DefaultValueFactory = _ => d.Minutes };
        var preset = new Option<string>("--preset") { Description = "Model preset to train", DefaultValueFactory = _ => d.Preset };
        var videos = new Option<string[]>("--videos") { Description = "Real unlabelled videos (files or folders) to train on instead of synthetic ones", AllowMultipleArgumentsPerToken = true };
        var davis = new Option<string?>("--davis") { Description = "A DAVIS-layout root to evaluate on instead of held-out synthetic videos" };
        var set = new Option<string>("--set") { Description = "DAVIS image set", DefaultValueFactory = _ => d.DavisSet };
        var year = new Option<string>("--year") { Description = "DAVIS image-set year (2016 or 2017)", DefaultValueFactory = _ => d.DavisYear };
        var seed = new Option<int>("--seed") { Description = "Seed", DefaultValueFactory = _ => d.Seed };
        var trainVideos = new Option<int>("--train-videos") { Description = "Synthetic training videos", DefaultValueFactory = _ => d.TrainVideos };
        var testVideos = new Option<int>("--test-videos") { Description = "Held-out synthetic videos", DefaultValueFactory = _ => d.TestVideos };
        var size = new Option<int>("--size") { Description = "Side of the held-out synthetic videos' frames (a multiple of 8)", DefaultValueFactory = _ => d.Size };
        var frames = new Option<int>("--frames") { Description = "Frames per held-out synthetic video (training videos have twice as many)", DefaultValueFactory = _ => d.Frames };
        var heldOutSeed = new Option<int>("--heldout-seed") { Description = "Seed of the held-out synthetic videos (fixed whatever --seed is, like a test split)", DefaultValueFactory = _ => d.HeldOutSeed };
        var batch = new Option<int>("--batch") { Description = "Clips per training step", DefaultValueFactory = _ => d.Batch };
        var device = new Option<string>("--device") { Description = "auto (CUDA when available, else the CPU), cpu or cuda[:N]", DefaultValueFactory = _ => d.Device };
        var palette = new Option<int>("--palette") { Description = "Colours shared by every texture of a synthetic video, background included (0 = each its own: raw colour then nearly identifies each object)", DefaultValueFactory = _ => d.Palette };
        var objective = new Option<string?>("--objective") { Description = "What the pointer learns to copy: bins (the paper), ab or lab (default: lab for the Lab presets, else bins)" };
        var init = new Option<string?>("--init") { Description = "The trained model to fine-tune: a checkpoint or a shipped model (default, paper; use its preset); 'none' trains from scratch", DefaultValueFactory = _ => d.InitFrom };
        var trackSize = new Option<int>("--track-size") { Description = "Clips smaller than this on their short side are tracked enlarged to it by the two pointers (the model's, the Lab pixels'); flow stays at their own size", DefaultValueFactory = _ => d.TrackSize };
        var keypointSize = new Option<int?>("--keypoint-size") { Description = "Track the keypoints enlarged to this size instead (the best-options pointers, their radius enlarged alike: a finer grid for joints; default: --track-size). 512 takes about 8 min more on 2 cores" };
        var closeUps = new Option<bool>("--close-ups") { Description = "Train on close-up crops that show the synthetic objects at the size the enlarged tracking sees them (--track-size)", DefaultValueFactory = _ => d.CloseUps };
        var limbTextures = new Option<bool>("--limb-textures") { Description = "The synthetic figure's texture rides on each limb, as clothing does (else it stays with the belly as the limbs swing)", DefaultValueFactory = _ => d.LimbTextures };
        var lr = new Option<double?>("--lr") { Description = "Adam learning rate for the whole run (default: 1e-4 when fine-tuning, 1e-3 from scratch)" };
        var threads = ComputeThreads.CreateOption();
        var cmd = new Command("demo", "Train on unlabelled video, track held-out videos with the trained model and baselines, score them, and write an HTML report")
        {
            output, minutes, preset, videos, davis, set, year, seed, heldOutSeed, trainVideos, testVideos, size, frames, batch, device, palette, objective, init, trackSize, keypointSize, closeUps, limbTextures, lr, threads,
        };
        cmd.SetAction(p =>
        {
            var o = d with
            {
                Out = p.GetValue(output)!, Minutes = p.GetValue(minutes), Preset = p.GetValue(preset)!,
                Videos = p.GetValue(videos) is { Length: > 0 } v ? v : null, Davis = p.GetValue(davis),
                DavisSet = p.GetValue(set)!, DavisYear = p.GetValue(year)!, Seed = p.GetValue(seed),
                TrainVideos = p.GetValue(trainVideos), TestVideos = p.GetValue(testVideos), Size = p.GetValue(size), Frames = p.GetValue(frames), HeldOutSeed = p.GetValue(heldOutSeed), Batch = p.GetValue(batch), Device = p.GetValue(device)!,
                Palette = p.GetValue(palette), Objective = p.GetValue(objective), InitFrom = p.GetValue(init) is { } i && !i.Equals("none", StringComparison.OrdinalIgnoreCase) ? i : null, TrackSize = p.GetValue(trackSize), KeypointTrackSize = p.GetValue(keypointSize), CloseUps = p.GetValue(closeUps), LimbTextures = p.GetValue(limbTextures), LearningRate = p.GetValue(lr),
            };
            ComputeThreads.Apply(p.GetValue(threads));
            // First Ctrl-C: stop training early (a checkpoint is written) and go on to evaluate. Second: abort.
            using var stop = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                if (stop.IsCancellationRequested) return; // the second Ctrl-C ends the process
                e.Cancel = true;
                stop.Cancel();
                AnsiConsole.MarkupLine("[yellow]stopping training after this step (checkpoint kept); Ctrl-C again to abort[/]");
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                var pipeline = new DemoPipeline(o);
                var outcome = pipeline.Run(stop.Token);
                AnsiConsole.MarkupLine("[bold blue]5.[/] writing the report");
                var report = DemoReport.Write(outcome, o);
                var table = new Table().AddColumns("tracker", "J&F-Mean", "J-Mean", "F-Mean", "J-Decay");
                foreach (var (name, e) in outcome.Segments)
                    table.AddRow(Markup.Escape(name), $"{e.JAndFMean:F3}", $"{e.J.Mean:F3}", $"{e.F.Mean:F3}", $"{e.J.Decay:F3}");
                AnsiConsole.Write(table);
                // One line each, unwrapped (the console's width would break it): what a script or a test greps for.
                foreach (var line in DemoReport.Verdict(outcome, o)) Console.WriteLine("verdict: " + line);
                AnsiConsole.MarkupLine($"report: [bold]{Markup.Escape(report)}[/]  (checkpoint {Markup.Escape(outcome.Training.CheckpointPath)})");
                return 0;
            }
            finally { Console.CancelKeyPress -= onCancel; }
        });
        return cmd;
    }
}
