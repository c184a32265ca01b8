// Node's `string_decoder`: bytes to text in pieces, a character split across
// two pieces kept until its last byte comes (UTF-8; also latin1, hex, base64).
(function () {
  // How many bytes the UTF-8 sequence starting with `b` has (0: not a start byte).
  const width = (b) => (b < 0x80 ? 1 : b >= 0xf0 && b < 0xf5 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0);

  class StringDecoder {
    constructor(encoding = "utf8") {
      const e = String(encoding).toLowerCase().replace("-", "");
      if (!["utf8", "latin1", "binary", "hex", "base64", "ascii"].includes(e)) {
        throw new TypeError("Unknown encoding: " + encoding);
      }
      this.encoding = e === "utf8" ? "utf8" : e;
      this.rest = [];
    }
    write(chunk) {
      const bytes = [...this.rest, ...(typeof chunk === "string" ? Buffer.from(chunk) : chunk)];
      if (this.encoding !== "utf8") {
        this.rest = [];
        const b = Buffer.from(bytes);
        return this.encoding === "latin1" || this.encoding === "binary" || this.encoding === "ascii"
          ? String.fromCharCode(...b) : b.toString(this.encoding);
      }
      // Keep an incomplete last character for the next piece.
      let cut = bytes.length;
      for (let back = 1; back <= 3 && back <= bytes.length; back++) {
        const w = width(bytes[bytes.length - back]);
        if (w === 0) continue;
        if (w > back) cut = bytes.length - back;
        break;
      }
      this.rest = bytes.slice(cut);
      return Buffer.from(bytes.slice(0, cut)).toString();
    }
    end(chunk) {
      const text = chunk === undefined ? "" : this.write(chunk);
      const rest = this.rest.length ? "\ufffd" : "";
      this.rest = [];
      return text + rest;
    }
  }
  return { StringDecoder };
})
