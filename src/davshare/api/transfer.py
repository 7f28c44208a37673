"""API handlers to import a file into one of the caller's collections and to export one (I1, I2).

The collection is named as in ``GET /collections``: ``contacts``, ``contacts@sales``...
"""

from collections.abc import Iterator

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request, Response

from davshare.api.base import Call, Handler
from davshare.api.responses import json_response
from davshare.transfer import MEDIA_TYPES, parse_format
from davshare.transfer.exporter import default_format, export, file_name
from davshare.transfer.importer import Importer
from davshare.transfer.lines import Readable
from davshare.transfer.target import open_collection

_YES = {"1", "true", "yes", "on"}


def _upload(request: Request) -> Readable:
    """The file: the body itself, or the first file of a browser's form."""
    if request.mimetype == "multipart/form-data" and request.files:
        return next(iter(request.files.values())).stream
    return request.stream


def _charset(request: Request, args: "MultiDict[str, str]") -> str:
    """The encoding asked for; without one, BOMs and UTF-8 with a Windows-1252 fallback decide."""
    declared = request.mimetype_params.get("charset", "")
    return args.get("charset") or ("" if declared.lower() in ("", "utf-8", "utf8") else declared)


def import_file(call: Call, name: str) -> Response:
    """Import the body (a vCard, CSV or iCalendar file): ?format=&report_duplicates=1&charset=."""
    args = call.request.args
    target = open_collection(call.storage, call.login, name, adding=True)
    duplicates = args.get("report_duplicates", "").lower() in _YES
    importer = Importer(target, parse_format(args.get("format", "")), duplicates)
    report = importer.run(_upload(call.request), _charset(call.request, args))
    return json_response(report.as_json())


def export_file(call: Call, name: str) -> Response:
    """Download a collection as one file: ?format=vcf, csv or ics (default vcf or ics)."""
    target = open_collection(call.storage, call.login, name, adding=False)
    chosen = parse_format(call.request.args.get("format", "")) or default_format(target)
    pieces = export(target, chosen)

    def body() -> Iterator[bytes]:
        for piece in pieces:
            yield piece.encode("utf-8")

    disposition = f'attachment; filename="{file_name(target, chosen)}"'
    return Response(
        body(), mimetype=MEDIA_TYPES[chosen], headers={"Content-Disposition": disposition}
    )


COLLECTION = "/collections/<name>"

ROUTES: list[tuple[str, str, Handler]] = [
    ("POST", COLLECTION + "/import", import_file),
    ("GET", COLLECTION + "/export", export_file),
]
