// A synthetic validation set for choosing tracking options without touching the demo's held-out videos: drawn
// as the demo draws its held-out videos (128 px, 40 frames, a palette of 3 colours, a stick figure), from another
// seed, in the layout of a demo run's folder (OUT/data/heldout), so that every keypoint script beside this one
// takes OUT where it takes a demo run. Refuses a seed whose videos would be training videos of the demo's seeds
// 0-2 or its held-out videos. docs/demo.md ("Keypoints on a finer grid") chose --keypoint-size on it.
// Build first (dotnet build Workbench.sln -c Release), then from the repository root:
//   dotnet fsi docs/scripts/demo-validation-set.fsx OUT [SEED=4242] [VIDEOS=12]
#load "DemoHeldOut.fsx"
open System.IO
open ColorTrack.Synthetic
let args = fsi.CommandLineArgs
if args.Length < 2 then failwith "arguments: OUT [SEED] [VIDEOS]"
let out = args[1]
let seed = if args.Length > 2 then int args[2] else 4242
let videos = if args.Length > 3 then int args[3] else 12
let seeds first n = [ for i in 0 .. n - 1 -> SyntheticVideoGenerator.SequenceSeed(first, i) ] |> Set.ofList
let taken = Set.unionMany [ seeds 0 24; seeds 1 24; seeds 2 24; seeds 7777 4 ]   // the demo's defaults: 24 training videos, 4 held out
if not (Set.intersect (seeds seed videos) taken).IsEmpty then failwithf "seed %d would draw a training or held-out video of the demo; choose another" seed
let options = SyntheticVideoOptions(Width = 128, Height = 128, Frames = 40, Seed = seed, Palette = 3)
let names = SyntheticVideoGenerator.WriteDataset(Path.Combine(out, "data", "heldout"), videos, options, "val")
printfn "%d videos in %s" names.Count (Path.Combine(out, "data", "heldout"))
