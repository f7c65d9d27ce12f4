"""Cut the Bootstrap Icons font and style sheet down to the icons the application uses."""

import logging

from django.core.management.base import BaseCommand, CommandError

from staff import icons


class Command(BaseCommand):
    help = "Writes static/vendor/bootstrap-icons/subset/ with only the icons the sources use."

    def handle(self, *args, **options) -> None:
        # Only a developer runs this; the application itself never needs fontTools.
        from fontTools import subset

        logging.getLogger("fontTools").setLevel(logging.WARNING)

        names = icons.used_icons()
        points = icons.codepoints(icons.FULL_CSS.read_text(encoding="utf-8"))
        unknown = sorted(names - set(points))
        if unknown:
            raise CommandError(f"Not Bootstrap Icons names: {', '.join(unknown)}")
        icons.SUBSET_DIR.mkdir(exist_ok=True)
        options_ = subset.Options()
        options_.flavor = "woff2"
        options_.layout_features = []
        options_.name_IDs = ["*"]
        font = subset.load_font(str(icons.FULL_FONT), options_)
        subsetter = subset.Subsetter(options_)
        subsetter.populate(unicodes=[points[name] for name in names])
        subsetter.subset(font)
        subset.save_font(font, str(icons.SUBSET_FONT), options_)
        icons.SUBSET_CSS.write_text(
            icons.subset_css(names, points, icons.SUBSET_FONT.name), encoding="utf-8"
        )
        self.stdout.write(
            f"{len(names)} icons: {icons.SUBSET_FONT.stat().st_size} bytes of font, "
            f"{icons.SUBSET_CSS.stat().st_size} bytes of style sheet."
        )
