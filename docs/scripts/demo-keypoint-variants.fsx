// Keypoint-tracking variants on a demo run's held-out videos, scored as the demo scores them (PCK over the
// stick figures' joints): the table "Keypoints: what was tried to catch optical flow" in docs/demo.md.
// Build first (dotnet build Workbench.sln -c Release), then from the repository root:
//   dotnet fsi docs/scripts/demo-keypoint-variants.fsx DEMO-OUT CHECKPOINT|flow|pixels SCALE VARIANT...
// VARIANT = sigmaCells,topLocations,radius,temperature[,crw|no[,window]], e.g. "0.5,5,12,0.05" (the demo's own).
#load "DemoHeldOut.fsx"
open System.IO
open DemoHeldOut
open ColorTrack.Datasets
open ColorTrack.Analysis
open ColorTrack.Evaluation
open ColorTrack.Propagation
open ColorTrack.Video
let demo, ckpt, scale, rest = demoArgs ()
let root = heldOutRoot demo
let sequences = heldOutSequences demo
let variants = rest |> Array.map (fun v -> let p = v.Split(',') in float p[0], int p[1], float p[2], float p[3], (p.Length > 4 && p[4] = "crw"), (if p.Length > 5 then int p[5] else 20))
let factory = new TrackerFactory()
for (sigma, topk, radius, temp, crw, window) in variants do
  let sw = System.Diagnostics.Stopwatch.StartNew()
  let settings = PropagationSettings(Temperature = temp, Window = window, LongTermMemory = true, TopK = 10, Radius = radius, L2Normalize = true,
                                     RadiusSparesFirstFrame = crw, WindowStartsWithCopies = crw)
  let spec = trackerSpec ckpt scale (Some settings)
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
