/// Inline SVG charts for the meeting report. Each chart is an accessible image: `role="img"`,
/// a `<title>` and a `<desc>` with the numbers in words, so a screen reader (or a printout
/// without colour) still carries the information.
public enum SVGCharts {
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double
        public var valueText: String
        public var colour: String
        public init(label: String, value: Double, valueText: String, colour: String) {
            self.label = label
            self.value = value
            self.valueText = valueText
            self.colour = colour
        }
    }

    /// Horizontal bars, one per category, scaled to the largest value.
    public static func horizontalBars(_ bars: [Bar], id: String, title: String, width: Double = 420,
                                      labelWidth: Double = 90) -> String {
        let rowHeight = 28.0, valueWidth = 110.0
        let height = rowHeight * Double(max(bars.count, 1)) + 8
        let barSpace = width - labelWidth - valueWidth
        let largest = bars.map(\.value).max() ?? 0
        let w = HTMLWriter()
        w.element("svg", ["xmlns": "http://www.w3.org/2000/svg", "class": "chart", "id": id, "role": "img",
                          "aria-labelledby": "\(id)-title \(id)-desc", "width": coordinate(width),
                          "height": coordinate(height), "viewBox": "0 0 \(coordinate(width)) \(coordinate(height))"]) {
            w.element("title", ["id": "\(id)-title"], text: title)
            w.element("desc", ["id": "\(id)-desc"], text: bars.map { "\($0.label): \($0.valueText)" }.joined(separator: "; "))
            for (i, bar) in bars.enumerated() {
                let y = 4 + Double(i) * rowHeight
                let length = largest > 0 ? max(1, barSpace * bar.value / largest) : 0
                w.element("text", ["x": "0", "y": coordinate(y + 18), "class": "label"], text: bar.label)
                w.empty("rect", ["x": coordinate(labelWidth), "y": coordinate(y + 4), "width": coordinate(length),
                                 "height": "18", "fill": bar.colour], selfClosing: true)
                w.element("text", ["x": coordinate(labelWidth + length + 6), "y": coordinate(y + 18), "class": "value"],
                          text: bar.valueText)
            }
        }
        return w.text
    }

    public struct TimelinePoint: Sendable, Equatable {
        /// Days from the start of the timeline.
        public var day: Int
        public var lane: Int
        public var label: String
        public var colour: String
        public init(day: Int, lane: Int, label: String, colour: String) {
            self.day = day
            self.lane = lane
            self.label = label
            self.colour = colour
        }
    }

    /// Points on lanes against a time axis `days` long, with month ticks.
    public static func timeline(_ points: [TimelinePoint], lanes: [String], days: Int, monthTicks: [(day: Int, label: String)],
                                id: String, title: String, description: String, width: Double = 760) -> String {
        let laneHeight = 34.0, left = 70.0, top = 10.0, axis = 22.0
        let plotWidth = width - left - 10
        let height = top + laneHeight * Double(lanes.count) + axis
        func x(_ day: Int) -> Double { left + plotWidth * Double(day) / Double(max(days, 1)) }
        let w = HTMLWriter()
        w.element("svg", ["xmlns": "http://www.w3.org/2000/svg", "class": "chart", "id": id, "role": "img",
                          "aria-labelledby": "\(id)-title \(id)-desc", "width": coordinate(width),
                          "height": coordinate(height), "viewBox": "0 0 \(coordinate(width)) \(coordinate(height))"]) {
            w.element("title", ["id": "\(id)-title"], text: title)
            w.element("desc", ["id": "\(id)-desc"], text: description)
            for (i, lane) in lanes.enumerated() {
                let y = top + laneHeight * Double(i)
                w.empty("line", ["x1": coordinate(left), "y1": coordinate(y + laneHeight / 2), "x2": coordinate(left + plotWidth),
                                 "y2": coordinate(y + laneHeight / 2), "class": "lane"], selfClosing: true)
                w.element("text", ["x": "0", "y": coordinate(y + laneHeight / 2 + 4), "class": "label"], text: lane)
            }
            let axisY = top + laneHeight * Double(lanes.count)
            for tick in monthTicks {
                w.empty("line", ["x1": coordinate(x(tick.day)), "y1": coordinate(top), "x2": coordinate(x(tick.day)),
                                 "y2": coordinate(axisY + 4), "class": "tick"], selfClosing: true)
                w.element("text", ["x": coordinate(x(tick.day) + 2), "y": coordinate(axisY + 16), "class": "axis"], text: tick.label)
            }
            // Points that share a day and lane are nudged apart vertically so none hides another.
            var stacked: [String: Int] = [:]
            for p in points {
                let key = "\(p.lane):\(p.day / 7)"
                let n = stacked[key, default: 0]
                stacked[key] = n + 1
                let offset = Double(n % 3 - 1) * 8
                let cy = top + laneHeight * Double(p.lane) + laneHeight / 2 + offset
                w.element("circle", ["cx": coordinate(x(p.day)), "cy": coordinate(cy), "r": "5", "fill": p.colour]) {
                    w.element("title", text: p.label)
                }
            }
        }
        return w.text
    }

    public struct Segment: Sendable, Equatable {
        public var name: String
        public var points: Double
        public var colour: String
        public init(name: String, points: Double, colour: String) {
            self.name = name
            self.points = points
            self.colour = colour
        }
    }

    /// One small stacked bar of positive factor points, scaled so `scale` points fill `width`.
    /// Negative points are drawn differently: to the left of the line at zero, hatched in
    /// their colour with an outline, and named "takes points off" in their title.
    public static func stackedBar(_ segments: [Segment], scale: Double, id: String, title: String,
                                  width: Double = 240, height: Double = 14) -> String {
        let negative = segments.filter { $0.points < 0 }.reduce(0) { $0 - $1.points }
        let unit = width / max(scale, 1)
        let zero = min(width / 3, negative * unit)
        let w = HTMLWriter()
        w.element("svg", ["xmlns": "http://www.w3.org/2000/svg", "class": "bar", "role": "img", "id": id,
                          "aria-label": title, "width": coordinate(width), "height": coordinate(height),
                          "viewBox": "0 0 \(coordinate(width)) \(coordinate(height))"]) {
            var x = zero
            var back = zero
            let negatives = segments.enumerated().filter { $0.element.points < 0 }
            if !negatives.isEmpty {
                w.element("defs") {
                    for (i, s) in negatives {
                        w.element("pattern", ["id": "\(id)-neg\(i)", "width": "4", "height": "4", "patternUnits": "userSpaceOnUse",
                                              "patternTransform": "rotate(45)"]) {
                            w.empty("rect", ["width": "4", "height": "4", "fill": "#fff"], selfClosing: true)
                            w.empty("rect", ["width": "2", "height": "4", "fill": s.colour], selfClosing: true)
                        }
                    }
                }
            }
            for (i, s) in segments.enumerated() where s.points != 0 {
                let length = abs(s.points) * unit
                let start: Double
                if s.points > 0 { start = x; x += length } else { back -= length; start = max(0, back) }
                let shape: KeyValuePairs<String, String> = s.points > 0
                    ? ["x": coordinate(start), "y": "0", "width": coordinate(min(length, width - start)),
                       "height": coordinate(height), "fill": s.colour]
                    : ["x": coordinate(start), "y": "0.5", "width": coordinate(min(length, width - start)),
                       "height": coordinate(height - 1), "fill": "url(#\(id)-neg\(i))", "stroke": s.colour, "class": "negative"]
                w.element("rect", shape) {
                    w.element("title", text: "\(s.name) \(formatPoints(s.points))" + (s.points < 0 ? " (takes points off)" : ""))
                }
            }
            if zero > 0 {
                w.empty("line", ["x1": coordinate(zero), "y1": "0", "x2": coordinate(zero), "y2": coordinate(height),
                                 "class": "zero"], selfClosing: true)
            }
        }
        return w.text
    }
}
