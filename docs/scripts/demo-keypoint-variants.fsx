// Keypoint-tracking variants on a demo run's held-out videos, scored as the demo scores them (PCK over the
// stick figures' joints): the table "Keypoints: what was tried to catch optical flow" in docs/demo.md.
// Build first (dotnet build Workbench.sln -c Release), then from the repository root:
//   dotnet fsi docs/scripts/demo-keypoint-variants.fsx DEMO-OUT CHECKPOINT|flow|pixels SCALE VARIANT...
// VARIANT = sigmaCells,topLocations,radius,temperature[,crw|no[,window]], e.g. "0.5,5,12,0.05" (the demo's own).
#I __SOURCE_DIRECTORY__
#I "../../lib/ColorTrack.Cli/bin/Release/net10.0"
#r "OpenCvSharp.dll"
#r "TorchSharp.dll"
#r "ColorTrack.dll"
#r "ColorTrack.Notebooks.dll"
open System.IO
open ColorTrack.Runtime
open ColorTrack.Datasets
open ColorTrack.Analysis
open ColorTrack.Evaluation
open ColorTrack.Propagation
open ColorTrack.Video
TorchRuntime.EnsureLoaded()
let a = fsi.CommandLineArgs
let demo, ckpt, scale = a[1], a[2], float a[3]
let root = Path.Combine(demo, "data", "heldout")
let names = File.ReadAllLines(Path.Combine(root, "ImageSets", "2017", "val.txt")) |> Array.filter (fun l -> l.Trim() <> "")
let sequences = DavisDataset.Open(root, sequences = names)
let variants = a[4..] |> Array.map (fun v -> let p = v.Split(',') in float p[0], int p[1], float p[2], float p[3], (p.Length > 4 && p[4] = "crw"), (if p.Length > 5 then int p[5] else 20))
let factory = new TrackerFactory()
for (sigma, topk, radius, temp, crw, window) in variants do
  let sw = System.Diagnostics.Stopwatch.StartNew()
  let spec =
    if ckpt = "flow" then TrackerSpec(TrackerSpec.Flow, Scale = scale)
    elif ckpt = "pixels" then TrackerSpec(TrackerSpec.Pixels, Scale = scale, Settings = PixelLabEncoder.BestSettings)
    else TrackerSpec(TrackerSpec.ModelKind, Checkpoint = ckpt, Scale = scale,
                     Settings = PropagationSettings(Temperature = temp, Window = window, LongTermMemory = true, TopK = 10, Radius = radius, L2Normalize = true, RadiusSparesFirstFrame = crw, WindowStartsWithCopies = crw))
  let spec = spec.WithPrecision("auto")
  let pck = ResizeArray()
  for seq in sequences do
    let tracker = factory.Create(spec)
    let kpPath = Path.Combine(root, "Keypoints", seq.Name + ".json")
    let truth = KeypointsFile.Load(kpPath)
    use frames = FrameSources.Open(DavisDataset.FramesFolderOf(root, seq.Name), FrameSourceOptions(MaxFrames = seq.Frames.Count))
    let kt = KeypointTracking(KeypointTracking.StrideFor(tracker), sigma, topk)
    let pred = KeypointPrediction.From(kt.Run(tracker, frames, truth, kpPath))
    pck.Add(struct (KeypointComparison.Truth(truth, seq.Name, seq.Frames.Count), pred))
  let r = PckEvaluator.Evaluate(pck |> Seq.map (fun struct (t, p) -> (t, p)))
  printfn "%s crw %b window %d sigma %.2f top %d radius %.0f T %.3f: PCK@0.1 %.1f @0.2 %.1f @0.3 %.1f (%.0f s)" (Path.GetFileName demo) crw window sigma topk radius temp r.Mean[0] r.Mean[1] r.Mean[2] sw.Elapsed.TotalSeconds
