/**
 * The one place that imports SheetJS. It hands SheetJS Node's native zlib for compression (its
 * pure-JS deflate is several times slower on large sheets), wrapped so that SheetJS's feature
 * probe does not touch zlib's deprecated `bytesRead`.
 */
import * as Zlib from "node:zlib"
import * as XLSX from "xlsx"

class InflateRaw extends Zlib.InflateRaw {
  /** What SheetJS reads as `bytesRead`: the input consumed, which Node now calls `bytesWritten`. */
  override get bytesRead(): number {
    return this.bytesWritten
  }
}

XLSX.CFB.utils.use_zlib({ InflateRaw, deflateRawSync: Zlib.deflateRawSync })

export { XLSX }
