import Foundation
import Testing

/// Opens `dockerlint report --format html` in a real headless browser (Debian's chromium;
/// scripts/test installs it): the DOM it parsed holds every chart element, and screenshots in
/// the light and the dark colour scheme show the charts painted (pixel counts of the chart
/// colours, decoded from the PNG with python3's zlib).
@Suite(.enabled(if: ReportFixture.which("chromium") != nil || ReportFixture.inCI, "chromium (apt-get install chromium; scripts/test installs it)"))
struct ReportBrowser {
    static func chromium(_ args: [String]) throws -> CLI.Result {
        let profile = try CLI.tempDirectory()
        // Root in a container needs --no-sandbox; a private profile lets tests run side by side.
        return try CLI.run("/usr/bin/env", ["timeout", "180", ReportFixture.which("chromium") ?? "chromium",
                                            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                            "--user-data-dir=\(profile.path)", "--no-first-run"] + args)
    }

    static func html() throws -> URL {
        let bench = try ReportFixture.benchFile()
        let r = try ReportFixture.report(["--compare", "lab-bad-order/Dockerfile", "--bench", bench, "-f", "html",
                                          "--max-rebuild-rate", "RUN pip*=25%", "--min-cache-efficiency", "0.5"])
        #expect(r.status == 0, "\(r.stderr)")
        let file = try CLI.tempDirectory().appendingPathComponent("report.html")
        try CLI.write(r.stdout, to: file)
        return file
    }

    /// Decodes a chromium PNG (8-bit RGB/RGBA, not interlaced) and counts pixels near each colour.
    static let pixelScript = #"""
    import json, sys, struct, zlib
    b = open(sys.argv[1], 'rb').read()
    assert b[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    i, idat = 8, b''
    while i < len(b):
        n, = struct.unpack('>I', b[i:i+4]); t = b[i+4:i+8]; d = b[i+8:i+8+n]; i += 12 + n
        if t == b'IHDR': w, h, depth, ct, _, _, il = struct.unpack('>IIBBBBB', d)
        elif t == b'IDAT': idat += d
    assert depth == 8 and il == 0 and ct in (2, 6), (depth, ct, il)
    bpp = 3 if ct == 2 else 4
    raw = zlib.decompress(idat); stride = w * bpp
    rows, prev, pos = [], bytearray(stride), 0
    for y in range(h):
        f = raw[pos]; line = bytearray(raw[pos+1:pos+1+stride]); pos += 1 + stride
        for x in range(stride):
            a = line[x-bpp] if x >= bpp else 0; up = prev[x]; c = prev[x-bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + up) & 255
            elif f == 3: line[x] = (line[x] + ((a + up) >> 1)) & 255
            elif f == 4:
                p = a + up - c; pa, pb, pc = abs(p-a), abs(p-up), abs(p-c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else up if pb <= pc else c)) & 255
        rows.append(line); prev = line
    colors = {k: tuple(int(v[i:i+2], 16) for i in (1, 3, 5)) for k, v in json.loads(sys.argv[2]).items()}
    counts = {k: 0 for k in colors}; nonbg = 0
    bg = tuple(rows[2][0:3])
    for r in rows:
        for x in range(0, w * bpp, bpp):
            px = (r[x], r[x+1], r[x+2])
            if px != bg: nonbg += 1
            for k, c in colors.items():
                if abs(px[0]-c[0]) + abs(px[1]-c[1]) + abs(px[2]-c[2]) <= 12: counts[k] += 1
    print(json.dumps({"width": w, "height": h, "background": '#%02x%02x%02x' % bg, "nonBackground": nonbg / (w*h), "counts": counts}))
    """#

    struct Pixels: Decodable {
        var width: Int
        var height: Int
        var background: String
        var nonBackground: Double
        var counts: [String: Int]
    }

    static func screenshot(_ html: URL, dark: Bool, colors: [String: String]) throws -> Pixels {
        let png = try CLI.tempDirectory().appendingPathComponent(dark ? "dark.png" : "light.png")
        let r = try chromium((dark ? ["--force-dark-mode"] : []) + ["--window-size=1200,3200", "--screenshot=\(png.path)", html.absoluteString])
        #expect(FileManager.default.fileExists(atPath: png.path), "chromium: \(r.stderr)")
        let json = String(data: try JSONSerialization.data(withJSONObject: colors), encoding: .utf8)!
        let (status, out) = try ReportFixture.python(pixelScript, [png.path, json])
        #expect(status == 0, "\(out)")
        return try JSONDecoder().decode(Pixels.self, from: Data(out.utf8))
    }

    @Test func selfContainedPage() throws {
        let text = try String(contentsOf: try Self.html(), encoding: .utf8)
        for banned in ["<script", " src=", "url(", "@import", "<link", "<img", "<iframe"] {
            #expect(!text.contains(banned), "the page must load nothing: found \(banned)")
        }
        #expect(text.contains("@media (prefers-color-scheme:dark)"))
        #expect(text.hasPrefix("<!DOCTYPE html>"))
    }

    @Test func domHoldsEveryChart() throws {
        let r = try Self.chromium(["--dump-dom", try Self.html().absoluteString])
        let dom = r.stdout
        #expect(dom.contains("</html>"), "\(r.stderr)")
        for id in ["rebuild-rate", "heatmap", "rebuild-rate-compare", "heatmap-b", "times-0", "verdict", "gates-status"] {
            #expect(dom.contains("id=\"\(id)\""), "missing #\(id)")
        }
        // Heatmaps: 3 steps × 20 commits for A and for B, one cell each.
        #expect(dom.components(separatedBy: "class=\"cell ").count - 1 == 120)
        #expect(dom.components(separatedBy: "class=\"cell miss\"").count - 1 == 20 + 4 + 16 + 20)
        // Predicted against measured: one pair of bars per measured build.
        #expect(dom.components(separatedBy: "<rect class=\"measured\"").count - 1 == 2)
        #expect(dom.components(separatedBy: "<rect class=\"predicted\"").count - 1 == 2)
        #expect(dom.contains("lab/Dockerfile rebuilds faster than lab-bad-order/Dockerfile over 20 builds"))
        #expect(dom.contains("All 2 gates passed"))
    }

    @Test func chartsPaintInLightAndDarkSchemes() throws {
        let html = try Self.html()
        let light = try Self.screenshot(html, dark: false, colors: ["hit": "#2da44e", "miss": "#e5534b", "a": "#0969da", "b": "#bf8700", "measured": "#8250df"])
        #expect(light.background == "#ffffff")
        #expect(light.nonBackground > 0.05, "a mostly blank page: \(light)")
        // The heatmaps alone paint 120 cells of ~20×24 pixels; bars add more.
        #expect(light.counts["hit"]! > 8000 && light.counts["miss"]! > 8000, "\(light)")
        #expect(light.counts["a"]! > 1000 && light.counts["b"]! > 1000, "compare chart: \(light)")
        #expect(light.counts["measured"]! > 100, "times chart: \(light)")
        let dark = try Self.screenshot(html, dark: true, colors: ["hit": "#3fb950", "miss": "#f47067", "lightHit": "#2da44e"])
        #expect(dark.background == "#0d1117", "prefers-color-scheme: dark not applied: \(dark)")
        #expect(dark.counts["hit"]! > 8000 && dark.counts["miss"]! > 8000, "\(dark)")
        #expect(dark.counts["lightHit"]! == 0)
    }
}
