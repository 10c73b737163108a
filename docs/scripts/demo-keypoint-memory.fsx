// What a tracker remembers of each frame's joints, on a demo run's held-out videos, scored as the demo scores them
// (PCK over the stick figures' joints). The demo's read-out keeps each joint on its tracked figure when it reads
// it out (KeypointTracking.RunOnObject), but the propagator still remembers the whole map, off-figure mass
// included, and propagates it on. Here each frame's labels are fed back (LabelPropagator.Next's `remember`):
//   as-read      the soft labels as propagated (the demo's: the gate acts on the read-out only);
//   gated        the joint maps kept only where p(figure) > 1/2;
//   gated-soft   the joint maps weighted by p(figure);
//   rerendered   each joint's map replaced by a fresh map at the location read out (gated), as the first frame's.
// The figure (body, rest) labels are remembered as propagated in every variant. The frames are encoded once and
// each variant has its own propagator. Build first (dotnet build Workbench.sln -c Release), then from the
// repository root:
//   dotnet fsi docs/scripts/demo-keypoint-memory.fsx DEMO-OUT CHECKPOINT SCALE [THREADS]
#load "DemoHeldOut.fsx"
open System.IO
open TorchSharp
open DemoHeldOut
open ColorTrack.Contracts
open ColorTrack.Datasets
open ColorTrack.Analysis
open ColorTrack.Evaluation
open ColorTrack.Imaging
open ColorTrack.Propagation
open ColorTrack.Video
let demo, ckpt, scale, rest = demoArgs ()
torch.set_num_threads (if rest.Length > 0 then int rest[0] else 1)
let root = heldOutRoot demo
let sequences = heldOutSequences demo
let factory = new TrackerFactory()
let sw = System.Diagnostics.Stopwatch.StartNew()
let tracker = factory.Create(trackerSpec ckpt scale None) :?> RescaledTracker
let inner = tracker.Inner :?> PropagationTracker
let encoder, settings, stride = inner.Encoder, inner.Settings, inner.Encoder.Stride
let variants = [| "as-read"; "gated"; "gated-soft"; "rerendered" |]
let pck = variants |> Array.map (fun _ -> ResizeArray())
let resize (x: torch.Tensor) (h: int64) (w: int64) = RescaledTracker.Resize(x, h, w)   // as the tracker resizes
for seq in sequences do
  let truth = KeypointsFile.Load(Path.Combine(root, "Keypoints", seq.Name + ".json"))
  let mask = MaskPng.Read(seq.MaskPath(seq.Frames[0]))
  use frames = FrameSources.Open(DavisDataset.FramesFolderOf(root, seq.Name), FrameSourceOptions(MaxFrames = seq.Frames.Count))
  let H, W = int64 frames.Height, int64 frames.Width
  let struct (hw, ww) = tracker.WorkingSize(H, W)
  let kt = KeypointTracking.OnObject(stride)
  let first = truth.Frames[0]
  let J = first.Length
  let fx, fy = float32 ww / float32 W, float32 hw / float32 H       // frame -> working size
  use body = torch.tensor(mask.Ids |> Array.map (fun id -> if int id = truth.ObjectId.Value then 1.0f else 0.0f)).view(1L, H, W)
  use labels = torch.cat([| kt.ToMaps(first, int H, int W); body; 1.0f - body |], 0L)   // [J + 2, H, W]
  encoder.Reset()
  let results = variants |> Array.map (fun _ -> ResizeArray([ first ]))
  // The working-size soft labels [J + 2, hw, ww] of a grid's, back at the frame's size, and its joints read out on the figure.
  let readOut (grid: torch.Tensor) (previous: Keypoint[]) =
    use scope = torch.NewDisposeScope()
    let soft = resize (LabelGrid.Upsample(grid, stride, int hw, int ww)) H W
    let joints = soft.narrow(0L, 0L, int64 J)
    kt.Locate(joints * soft[int64 J].gt(soft[int64 (J + 1)]).to_type(torch.float32), previous)
  let gate (soft: bool) (grid: torch.Tensor) =
    let joints = grid.narrow(0L, 0L, int64 J)
    let b, r = grid.narrow(0L, int64 J, 1L), grid.narrow(0L, int64 (J + 1), 1L)
    let p = if soft then b / (b + r + 1e-6f) else b.gt(r).to_type(torch.float32)
    torch.cat([| joints * p; b; r |], 0L)
  // The joints read out of a grid, and the labels to remember in their place: fresh maps at those joints.
  let rerender (previous: Keypoint[]) (grid: torch.Tensor) =
    let points = readOut grid previous
    let scaled = points |> Array.map (fun p -> Keypoint(p.X * fx, p.Y * fy, p.Visible))
    let maps = LabelGrid.Downsample(kt.ToMaps(scaled, int hw, int ww), stride)                  // [J, h, w]
    points, torch.cat([| maps; grid.narrow(0L, int64 J, 2L) |], 0L)
  let propagators: LabelPropagator[] = Array.zeroCreate variants.Length
  for frame in FrameTensors.From(frames) do
    use _f = frame
    use scope = torch.NewDisposeScope()
    let e = encoder.Encode((resize frame hw ww).unsqueeze(0L))[0]                               // [D, h, w]
    if isNull propagators[0] then
      let g0 = LabelGrid.Downsample(resize labels hw ww, stride)                                // [J + 2, h, w]
      for v in 0 .. variants.Length - 1 do propagators[v] <- new LabelPropagator(e, g0, settings)
    else
      for v in 0 .. variants.Length - 1 do
        let previous = results[v][results[v].Count - 1]
        match variants[v] with
        | "rerendered" ->
            let remember grid = let points, kept = rerender previous grid in results[v].Add points; kept
            propagators[v].Next(e, System.Func<_, _>(remember)) |> ignore
        | name ->
            let grid =
              match name with
              | "gated" -> propagators[v].Next(e, System.Func<_, _>(gate false))
              | "gated-soft" -> propagators[v].Next(e, System.Func<_, _>(gate true))
              | _ -> propagators[v].Next(e)
            results[v].Add(readOut grid previous)
  for p in propagators do p.Dispose()
  for v in 0 .. variants.Length - 1 do
    let pred = KeypointPrediction.From(KeypointsFile(truth.Joints, results[v], truth.Edges, truth.ObjectId))
    pck[v].Add(struct (KeypointComparison.Truth(truth, seq.Name, seq.Frames.Count), pred))
  eprintfn "%s done (%.0f s)" seq.Name sw.Elapsed.TotalSeconds
for v in 0 .. variants.Length - 1 do
  let r = PckEvaluator.Evaluate(pck[v] |> Seq.map (fun struct (t, p) -> (t, p)))
  printfn "%s %s scale %.1f %s: PCK@0.1 %.1f @0.2 %.1f @0.3 %.1f @0.5 %.1f | @0.2 per joint %s" (Path.GetFileName demo) (Path.GetFileName ckpt) scale variants[v] r.Mean[0] r.Mean[1] r.Mean[2] r.Mean[4] (r.PerJoint[1] |> Array.map (sprintf "%.0f") |> String.concat " ")
printfn "(%.0f s)" sw.Elapsed.TotalSeconds
