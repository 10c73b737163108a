// Keypoints kept on the tracked figure, or on its body parts, on a demo run's held-out videos, scored as the demo
// scores them (PCK over the stick figures' joints): rows of the table "Keypoints: what was tried to catch optical
// flow" in docs/demo.md. One propagation pass carries three label sets side by side (propagation is linear in
// the labels, so each set gets exactly what it would get alone): the joint maps (the demo's: Gaussians of 0.5
// cells), wider ones (1 cell), and the first frame's body parts (each figure pixel labelled with its nearest bone
// of the first frame's pose; the rest of the frame one more label). Each frame's joints are then read out
//   plain        as the demo does (the maps as they are);
//   figure       only where the figure's propagated probability (the sum of its parts) is above 0.5;
//   parts        only where the joint's own parts (the bones that meet at it) are above 0.5;
//   parts-soft   the maps weighted by that probability;
//   figure-wide  as figure, from the wider maps, top-20 read-out.
// Build first (dotnet build Workbench.sln -c Release), then from the repository root:
//   dotnet fsi docs/scripts/demo-keypoint-gating.fsx DEMO-OUT CHECKPOINT|flow SCALE
#load "DemoHeldOut.fsx"
open System.IO
open TorchSharp
open DemoHeldOut
open ColorTrack.Datasets
open ColorTrack.Analysis
open ColorTrack.Evaluation
open ColorTrack.Imaging
open ColorTrack.Propagation
open ColorTrack.Video
let demo, ckpt, scale, _ = demoArgs ()
let root = heldOutRoot demo
let sequences = heldOutSequences demo
let factory = new TrackerFactory()
let sw = System.Diagnostics.Stopwatch.StartNew()
let spec = trackerSpec ckpt scale None
// Bones of the synthetic stick figure (StickFigure.Bones), then the head (a point at the face).
let bones = [| (0,1); (0,3); (0,4); (1,5); (1,6); (3,7); (7,11); (4,8); (8,12); (5,9); (9,13); (6,10); (10,14); (2,2) |]
let P = bones.Length
let adjacent j = [| for b in 0 .. P - 1 do let (u, v) = bones[b] in if u = j || v = j || (b = P - 1 && j = 0) then yield b |]
let segDist2 (px: float) (py: float) (ax: float) (ay: float) (bx: float) (by: float) =
  let dx, dy = bx - ax, by - ay
  let len2 = dx * dx + dy * dy
  let t = if len2 > 0.0 then max 0.0 (min 1.0 (((px - ax) * dx + (py - ay) * dy) / len2)) else 0.0
  let ex, ey = px - ax - t * dx, py - ay - t * dy
  ex * ex + ey * ey
let variants = [| "plain"; "figure"; "parts"; "parts-soft"; "figure-wide" |]
let pck = variants |> Array.map (fun _ -> ResizeArray())
for seq in sequences do
  let tracker = factory.Create(spec)
  let kpPath = Path.Combine(root, "Keypoints", seq.Name + ".json")
  let truth = KeypointsFile.Load(kpPath)
  let mask = MaskPng.Read(seq.MaskPath(seq.Frames[0]))
  use frames = FrameSources.Open(DavisDataset.FramesFolderOf(root, seq.Name), FrameSourceOptions(MaxFrames = seq.Frames.Count))
  let kt = KeypointTracking(KeypointTracking.StrideFor(tracker))
  let ktWide = KeypointTracking(KeypointTracking.StrideFor(tracker), 1.0, 20)
  let first = truth.Frames[0]
  let J = first.Length
  let H, W = mask.Height, mask.Width
  // One-hot part labels of the first frame: each figure pixel belongs to its nearest bone.
  let parts = Array.zeroCreate<float32> ((P + 1) * H * W)   // [P + 1, H, W]: the parts, then the rest
  for y in 0 .. H - 1 do
    for x in 0 .. W - 1 do
      if int mask.Ids[y * W + x] = truth.ObjectId.Value then
        let px, py = float x, float y
        let mutable best, bestD = 0, infinity
        for b in 0 .. P - 1 do
          let (u, v) = bones[b]
          let d = segDist2 px py (float first[u].X) (float first[u].Y) (float first[v].X) (float first[v].Y)
          if d < bestD then best <- b; bestD <- d
        parts[(best * H + y) * W + x] <- 1.0f
      else parts[(P * H + y) * W + x] <- 1.0f
  use partsT = torch.from_array(parts).reshape(int64 (P + 1), int64 H, int64 W)
  use maps = kt.ToMaps(first, frames.Height, frames.Width)
  use wide = ktWide.ToMaps(first, frames.Height, frames.Width)
  use labels = torch.cat([| maps; wide; partsT |], 0L)   // [2J + P + 1, H, W]
  let eps = torch.tensor(1e-6f)
  let half = torch.tensor(0.5f)
  let results = variants |> Array.map (fun _ -> ResizeArray([ first ]))
  for soft in tracker.Track(FrameTensors.From(frames), labels) do
    use _s = soft
    use scope = torch.NewDisposeScope()
    let m = soft.narrow(0L, 0L, int64 J)
    let mw = soft.narrow(0L, int64 J, int64 J)
    let q = soft.narrow(0L, int64 (2 * J), int64 (P + 1))
    let q = q / (q.sum(0L, true) + eps)                               // [P + 1, H, W], sums to 1
    let fig = q.narrow(0L, 0L, int64 P).sum(0L, true)                 // [1, H, W]
    let gate = torch.stack([| for j in 0 .. J - 1 -> q.index_select(0L, torch.from_array(adjacent j |> Array.map int64)).sum(0L) |], 0L) // [J, H, W]
    let figHard = fig.gt(half).to_type(torch.float32)
    let gated = [| m; m * figHard; m * gate.gt(half).to_type(torch.float32); m * gate; mw * figHard |]
    for v in 0 .. variants.Length - 1 do
      let k = if v = 4 then ktWide else kt
      results[v].Add(k.Locate(gated[v], results[v][results[v].Count - 1]))
  for v in 0 .. variants.Length - 1 do
    let pred = KeypointPrediction.From(KeypointsFile(truth.Joints, results[v], truth.Edges, truth.ObjectId))
    pck[v].Add(struct (KeypointComparison.Truth(truth, seq.Name, seq.Frames.Count), pred))
for v in 0 .. variants.Length - 1 do
  let r = PckEvaluator.Evaluate(pck[v] |> Seq.map (fun struct (t, p) -> (t, p)))
  printfn "%s %s scale %.1f %s: PCK@0.1 %.1f @0.2 %.1f @0.3 %.1f | @0.2 per joint %s" (Path.GetFileName demo) (Path.GetFileName ckpt) scale variants[v] r.Mean[0] r.Mean[1] r.Mean[2] (r.PerJoint[1] |> Array.map (sprintf "%.0f") |> String.concat " ")
printfn "(%.0f s)" sw.Elapsed.TotalSeconds
