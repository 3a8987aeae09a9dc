/**
 * Writes an SVG line chart of latency percentiles against offered load,
 * with both axes logarithmic, and no plotting dependency.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/** One line of the chart. */
export interface PlotSeries {
  label: string
  color: string
  /** Dashed lines tell p50 from p99 of the same load. */
  dashed: boolean
  points: Array<{ x: number, y: number }>
}

const WIDTH = 760
const HEIGHT = 460
const MARGIN = { left: 70, right: 190, top: 40, bottom: 55 }

function escapeXml (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Powers of ten from below `min` to above `max`, the tick positions of a log axis. */
function decades (min: number, max: number): number[] {
  const ticks: number[] = []
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    ticks.push(10 ** e)
  }
  return ticks
}

function formatTick (value: number): string {
  return value >= 1 ? value.toLocaleString('en-US') : String(value)
}

/** Renders the chart as SVG text. Points with a value that is not positive and finite are left out. */
export function renderLatencyPlot (title: string, xLabel: string, yLabel: string, series: PlotSeries[]): string {
  const valid = series.map((s) => ({ ...s, points: s.points.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.x) && Number.isFinite(p.y)) }))
  const all = valid.flatMap((s) => s.points)
  const xTicks = decades(Math.min(...all.map((p) => p.x), 10), Math.max(...all.map((p) => p.x), 100))
  const yTicks = decades(Math.min(...all.map((p) => p.y), 1), Math.max(...all.map((p) => p.y), 10))
  const [xMin, xMax] = [xTicks[0] as number, xTicks.at(-1) as number]
  const [yMin, yMax] = [yTicks[0] as number, yTicks.at(-1) as number]
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom
  const sx = (x: number): number => MARGIN.left + plotWidth * Math.log10(x / xMin) / Math.log10(xMax / xMin)
  const sy = (y: number): number => MARGIN.top + plotHeight * (1 - Math.log10(y / yMin) / Math.log10(yMax / yMin))

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`
  ]
  for (const x of xTicks) {
    parts.push(`<line x1="${sx(x)}" y1="${MARGIN.top}" x2="${sx(x)}" y2="${MARGIN.top + plotHeight}" stroke="#ddd"/>`)
    parts.push(`<text x="${sx(x)}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${formatTick(x)}</text>`)
  }
  for (const y of yTicks) {
    parts.push(`<line x1="${MARGIN.left}" y1="${sy(y)}" x2="${MARGIN.left + plotWidth}" y2="${sy(y)}" stroke="#ddd"/>`)
    parts.push(`<text x="${MARGIN.left - 8}" y="${sy(y) + 4}" text-anchor="end">${formatTick(y)}</text>`)
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#444"/>`)
  parts.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 15}" text-anchor="middle">${escapeXml(xLabel)}</text>`)
  parts.push(`<text transform="translate(18 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`)

  valid.forEach((s, i) => {
    const sorted = [...s.points].sort((a, b) => a.x - b.x)
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : ''
    if (sorted.length > 0) {
      parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${sorted.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')}"/>`)
    }
    for (const p of sorted) {
      parts.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3" fill="${s.color}"/>`)
    }
    const legendY = MARGIN.top + 10 + i * 20
    const legendX = MARGIN.left + plotWidth + 15
    parts.push(`<line x1="${legendX}" y1="${legendY}" x2="${legendX + 28}" y2="${legendY}" stroke="${s.color}" stroke-width="2"${dash}/>`)
    parts.push(`<text x="${legendX + 34}" y="${legendY + 4}">${escapeXml(s.label)}</text>`)
  })
  parts.push('</svg>')
  return parts.join('\n') + '\n'
}

/** Renders the chart and writes it to `path`, creating its directory. */
export async function writeLatencyPlot (path: string, title: string, xLabel: string, yLabel: string, series: PlotSeries[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, renderLatencyPlot(title, xLabel, yLabel, series))
}
