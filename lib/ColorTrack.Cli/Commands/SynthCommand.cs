using System.CommandLine;
using ColorTrack.Runtime;
using ColorTrack.Synthetic;
using Spectre.Console;

namespace ColorTrack.Cli.Commands;

/// <summary>`colortrack synth`: write a synthetic data set in the DAVIS layout (frames, masks, keypoints).</summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var defaults = new SyntheticVideoOptions();
        var output = new Option<string>("--out") { Description = "Output folder (must not exist or be empty)", Required = true };
        var videos = new Option<int>("--videos") { Description = "Number of videos", DefaultValueFactory = _ => 4 };
        var frames = new Option<int>("--frames") { Description = "Frames per video", DefaultValueFactory = _ => defaults.Frames };
        var size = new Option<string>("--size") { Description = "Frame size WxH", DefaultValueFactory = _ => $"{defaults.Width}x{defaults.Height}" };
        var objects = new Option<int>("--objects") { Description = "Textured objects per video (plus one stick figure)", DefaultValueFactory = _ => defaults.Objects };
        var noFigure = new Option<bool>("--no-figure") { Description = "Leave out the articulated stick figure (and its keypoints)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the whole data set", DefaultValueFactory = _ => 0 };
        var set = new Option<string>("--set") { Description = "Name of the ImageSets list", DefaultValueFactory = _ => "train" };
        var palette = new Option<int>("--palette") { Description = "Colours shared by every texture of a video, background included (0 = each its own; 3-4 make colour ambiguous)", DefaultValueFactory = _ => defaults.Palette };
        var limbTextures = new Option<bool>("--limb-textures") { Description = "The figure's texture rides on each limb, as clothing does (else it stays with the belly as the limbs swing)", DefaultValueFactory = _ => defaults.LimbTextures };
        var cmd = new Command("synth", "Generate synthetic colour videos with masks and keypoints in the DAVIS layout.")
        {
            output, videos, frames, size, objects, noFigure, seed, set, palette, limbTextures,
        };
        cmd.SetAction(p =>
        {
            var (w, h) = ParseSize(p.GetValue(size)!);
            var n = p.GetValue(videos);
            if (n < 1) throw new BadInputException("--videos", "must be at least 1");
            var options = defaults with
            {
                Width = w, Height = h, Frames = p.GetValue(frames), Objects = p.GetValue(objects),
                StickFigure = !p.GetValue(noFigure), Seed = p.GetValue(seed), Palette = p.GetValue(palette), LimbTextures = p.GetValue(limbTextures),
            };
            try { options.Validate(); }
            catch (ArgumentException e) { throw new BadInputException("synth", e.Message); }
            var root = p.GetValue(output)!;
            AtomicFile.CheckWritable(Path.Combine(root, "probe")); // the folder itself must be creatable
            IReadOnlyList<string> names = Array.Empty<string>();
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("videos", maxValue: n);
                    names = SyntheticVideoGenerator.WriteDataset(root, n, options, p.GetValue(set)!, (done, _) => task.Value = done);
                });
            Console.WriteLine($"wrote {names.Count} videos of {options.Frames} frames {w}x{h} to {Path.GetFullPath(root)}");
            Console.WriteLine($"track them:  colortrack track --davis {root} --set {p.GetValue(set)} --out RESULTS   (then eval-davis --davis {root} --set {p.GetValue(set)} --results RESULTS)");
            return 0;
        });
        return cmd;
    }

    /// <summary>"320x240" -> (320, 240); anything else is bad input.</summary>
    public static (int W, int H) ParseSize(string text)
    {
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], out var w) && int.TryParse(parts[1], out var h) && w > 0 && h > 0) return (w, h);
        throw new BadInputException("--size", $"'{text}' is not a size like 320x240");
    }
}
