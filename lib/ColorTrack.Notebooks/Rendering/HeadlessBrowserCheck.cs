using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ColorTrack.Notebooks.Rendering;

/// <summary>
/// Opens a rendered page in headless Chromium (Debian package `chromium`), lets its scripts run,
/// and reads back the DOM: every Plotly chart must have drawn its SVG and every picture must decode
/// to a non-empty image. This is what a collaborator opening the file would see, checked by a program.
/// </summary>
public static partial class HeadlessBrowserCheck
{
    public sealed record Report(int Charts, int ChartsDrawn, int Pictures, int PicturesDecoded)
    {
        public bool AllShown => ChartsDrawn == Charts && PicturesDecoded == Pictures;
    }

    public static string? FindChromium() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    public static Report Check(string htmlPath, string chromium, int budgetMs = 20000)
    {
        // A tiny probe appended to a copy of the page writes its findings into the DOM once loaded.
        // Pictures are the page's images and every inline PNG or JPEG (the formats Picture embeds).
        var probe = """
            <script>
            window.addEventListener('load', function () {
              setTimeout(function () {
                var plots = document.querySelectorAll('.colortrack-plot');
                var drawn = 0; plots.forEach(function (p) { if (p.querySelector('svg.main-svg') && p.getBoundingClientRect().height > 50) drawn++; });
                var imgs = document.querySelectorAll('img.colortrack-img, img[src^="data:image/png"], img[src^="data:image/jpeg"]');
                var decoded = 0; imgs.forEach(function (i) { if (i.complete && i.naturalWidth > 0 && i.naturalHeight > 0) decoded++; });
                var r = document.createElement('pre'); r.id = 'colortrack-check';
                r.textContent = 'CHECK charts=' + plots.length + ' drawn=' + drawn + ' pictures=' + imgs.length + ' decoded=' + decoded;
                document.body.appendChild(r);
              }, 1500);
            });
            </script>
            """;
        var copy = Path.Combine(Path.GetTempPath(), $"colortrack-check-{Guid.NewGuid():N}.html");
        File.WriteAllText(copy, File.ReadAllText(htmlPath).Replace("</body>", probe + "</body>"));
        var profile = Directory.CreateTempSubdirectory("colortrack-chromium-").FullName;
        try
        {
            var psi = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                                      "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                      $"--user-data-dir={profile}", $"--virtual-time-budget={budgetMs}", "--window-size=1200,900",
                                      "--dump-dom", "file://" + copy })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var dom = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException($"chromium did not finish on {htmlPath}"); }
            var m = CheckLine().Match(dom.Result);
            if (!m.Success) throw new InvalidOperationException($"{htmlPath}: the page's check script did not run in chromium");
            return new Report(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value), int.Parse(m.Groups[4].Value));
        }
        finally
        {
            File.Delete(copy);
            try { Directory.Delete(profile, true); } catch { }
        }
    }

    [GeneratedRegex(@"CHECK charts=(\d+) drawn=(\d+) pictures=(\d+) decoded=(\d+)")]
    private static partial Regex CheckLine();
}
