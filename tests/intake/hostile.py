"""Hostile PDFs, made by the tests themselves: a deflate bomb, an operator-heavy page, a page-tree loop."""

import zlib


def _pdf(objects, *, root=1):
    """A PDF with these object bodies (numbered from 1) and a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data, *, compressed=True):
    body = zlib.compress(data, 9) if compressed else data
    head = b"<< /Length %d%s >>\nstream\n" % (len(body), b" /Filter /FlateDecode" if compressed else b"")
    return head + body + b"\nendstream"


def _one_page(content_stream):
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            content_stream,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def deflate_bomb(megabytes=2048):
    """A page whose content stream inflates from about 2 MB to `megabytes` of spaces.

    Made in milliseconds: one megabyte compressed with a full flush (which resets the dictionary)
    is a block that may be repeated, so the stream is that block `megabytes` times."""
    chunk = b" " * (1024 * 1024)
    compressor = zlib.compressobj(9)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    header, block = block[:2], block[2:]
    checksum = 1
    for _ in range(megabytes):
        checksum = zlib.adler32(chunk, checksum)
    body = header + block * megabytes + b"\x03\x00" + checksum.to_bytes(4, "big")
    assert zlib.decompressobj().decompress(body[: 2 + len(block) * 2]) == chunk * 2
    head = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body)
    return _one_page(head + body + b"\nendstream")


def operator_heavy(operators=3_000_000):
    """A page of a few kilobytes compressed that draws millions of tiny text runs."""
    run = b"BT /F1 1 Tf 1 0 0 1 10 10 Tm (x) Tj ET\n"
    return _one_page(_stream(run * operators))


def page_tree_loop():
    """A page tree whose node lists itself (and its parent) as a kid."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1000000 >>",
        ]
    )
