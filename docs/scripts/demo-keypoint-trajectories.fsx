// How each tracker's joint trajectories err on a demo run's held-out videos, from the keypoints the demo wrote
// (results/*-keypoints): nothing is tracked again. For every tracker:
//   jitter   the mean second difference |p(t) - (p(t-1) + p(t+1)) / 2| of its predicted joints, in pixels (the
//            ground truth's own, for scale, on the first row): how much a trajectory shakes from frame to frame;
//   lag      the mean error along the joint's true motion (negative: behind it), where the joint moved at least
//            0.3 pixels since the frame before;
//   PCK@0.1 and PCK@0.2 as the demo scores them (PckEvaluator), of the trajectories as written and smoothed
//            over time by a centred Gaussian of sigma 1, 2 and 3 frames (an offline read-out: it looks ahead).
// Build first (dotnet build Workbench.sln -c Release), then from the repository root:
//   dotnet fsi docs/scripts/demo-keypoint-trajectories.fsx DEMO-OUT
#load "DemoHeldOut.fsx"
open System
open System.IO
open DemoHeldOut
open ColorTrack.Datasets
open ColorTrack.Evaluation

let demo = fsi.CommandLineArgs |> Array.tryItem 1 |> Option.defaultWith (fun () -> failwith "argument: DEMO-OUT")
let heldOut = heldOutRoot demo
let clips = heldOutSequences demo |> Seq.map (fun s -> s.Name) |> Array.ofSeq
let truth = clips |> Array.map (fun c -> JhmdbJoints.From(KeypointsFile.Load(Path.Combine(heldOut, "Keypoints", c + ".json")), c))

/// Mean |p(t) - (p(t-1) + p(t+1)) / 2| over joints visible at t-1, t, t+1.
let jitter (xs: double[][]) (ys: double[][]) (vis: int -> int -> bool) =
  [ for t in 1 .. xs.Length - 2 do
      for j in 0 .. xs[t].Length - 1 do
        if vis (t - 1) j && vis t j && vis (t + 1) j then
          yield Math.Sqrt((xs[t][j] - (xs[t - 1][j] + xs[t + 1][j]) / 2.0) ** 2.0 + (ys[t][j] - (ys[t - 1][j] + ys[t + 1][j]) / 2.0) ** 2.0) ]

/// Each visible joint's trajectory smoothed by a centred Gaussian over the frames where it is visible (frame 0 as given).
let smooth (sigma: float) (p: KeypointPrediction) =
  if sigma = 0.0 then p else
  let r = int (3.0 * sigma) + 1
  let at (a: double[][]) t j =
    let mutable sw, s = 0.0, 0.0
    for k in -r .. r do
      let u = t + k
      if u >= 1 && u < p.Frames && p.Visible[u][j] then
        let w = Math.Exp(-float (k * k) / (2.0 * sigma * sigma))
        sw <- sw + w; s <- s + w * a[u][j]
    s / sw
  let map (a: double[][]) = Array.init p.Frames (fun t -> Array.init a.[t].Length (fun j -> if t = 0 || not p.Visible.[t].[j] then a.[t].[j] else at a t j))
  KeypointPrediction(map p.X, map p.Y, p.Visible)

let sigmas = [ 0.0; 1.0; 2.0; 3.0 ]
let header = sigmas |> List.map (fun s -> if s = 0.0 then "PCK@0.1/0.2 as written" else sprintf "sigma %g" s) |> String.concat " | "
printfn "| tracker | jitter (px) | lag (px) | %s |" header
printfn "|---|---|---|%s" (String.replicate sigmas.Length "---|")
let truthJitter = truth |> Seq.collect (fun t -> jitter t.X t.Y (fun _ _ -> true)) |> Seq.average
printfn "| ground truth | %.2f | | |" truthJitter
for folder in Directory.GetDirectories(Path.Combine(demo, "results"), "*-keypoints") |> Array.sort do
  let preds = clips |> Array.map (fun c -> KeypointPrediction.Load(Path.Combine(folder, c + ".json")))
  let jit = Seq.zip truth preds |> Seq.collect (fun (_, p) -> jitter p.X p.Y (fun t j -> p.Visible[t][j])) |> Seq.average
  let lag =
    [ for (tr, p) in Seq.zip truth preds do
        for t in 1 .. tr.Frames - 1 do
          for j in 0 .. JhmdbJoints.JointCount - 1 do
            let vx, vy = tr.X[t][j] - tr.X[t - 1][j], tr.Y[t][j] - tr.Y[t - 1][j]
            let v = Math.Sqrt(vx * vx + vy * vy)
            if p.Visible[t][j] && v >= 0.3 then yield ((p.X[t][j] - tr.X[t][j]) * vx + (p.Y[t][j] - tr.Y[t][j]) * vy) / v ]
    |> List.average
  let pcks =
    sigmas |> List.map (fun s ->
      let r = PckEvaluator.Evaluate(Seq.zip truth (preds |> Array.map (smooth s)) |> Seq.map (fun (t, p) -> struct (t, p)), [| 0.1; 0.2 |])
      sprintf "%.1f / %.1f" r.Mean.[0] r.Mean.[1])
  printfn "| %s | %.2f | %.2f | %s |" (Path.GetFileName folder) jit lag (String.concat " | " pcks)
