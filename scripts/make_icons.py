"""Draw the three app icons (run by hand when the design changes)."""

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent / "addons"
ICONS = {
    # addon: (background, foreground, glyph drawer)
    "service_quality": ("#1f6f8b", "#ffffff", "check"),
    "service_training": ("#7a4d9b", "#ffffff", "cap"),
    "equipment_care": ("#c06014", "#ffffff", "wrench"),
}


def draw(kind, fg, d):
    if kind == "check":
        d.ellipse((40, 40, 216, 216), outline=fg, width=16)
        d.line((82, 132, 118, 168, 178, 94), fill=fg, width=20, joint="curve")
    elif kind == "cap":
        d.polygon([(128, 56), (228, 104), (128, 152), (28, 104)], fill=fg)
        d.rectangle((76, 128, 180, 184), fill=fg)
        d.line((212, 110, 212, 176), fill=fg, width=8)
    else:
        d.line((70, 186, 170, 86), fill=fg, width=30)
        d.ellipse((146, 46, 216, 116), outline=fg, width=18)
        d.ellipse((52, 168, 88, 204), fill=fg)


for addon, (bg, fg, kind) in ICONS.items():
    img = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, 255, 255), radius=40, fill=bg)
    draw(kind, fg, d)
    out = ROOT / addon / "static" / "description" / "icon.png"
    img.save(out)
    print(out)
