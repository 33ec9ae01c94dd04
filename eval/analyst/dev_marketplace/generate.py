"""A seeded handmade-goods marketplace ("Makersmark") for the analyst's development set:
sellers, buyers, listings and orders, with blanks, people's names split in two, several
dates per order, and a header with spaces, the way exports look.

Run: python eval/analyst/dev_marketplace/generate.py [OUT_DIR]   (default: data/ beside it)
Only the standard library and random.Random(SEED): every run writes the same files.
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

SEED = 20260611
COUNTRIES = ["Germany", "France", "Spain", "Italy", "Netherlands", "Poland"]
CITIES = {
    "Germany": ["Berlin", "Hamburg", "Munich"],
    "France": ["Paris", "Lyon"],
    "Spain": ["Madrid", "Valencia"],
    "Italy": ["Milan", "Rome"],
    "Netherlands": ["Amsterdam", "Utrecht"],
    "Poland": ["Warsaw", "Krakow"],
}
CATEGORIES = {"Jewelry": 45, "Home Decor": 60, "Art Prints": 30, "Clothing": 55, "Toys": 25}
NOUNS = {
    "Jewelry": ["Silver Ring", "Beaded Bracelet", "Pearl Earrings", "Pendant"],
    "Home Decor": ["Ceramic Vase", "Macrame Hanger", "Linen Cushion", "Candle Set"],
    "Art Prints": ["Botanical Print", "City Map Print", "Linocut", "Watercolour"],
    "Clothing": ["Wool Scarf", "Knitted Beanie", "Linen Apron", "Tote Bag"],
    "Toys": ["Wooden Train", "Plush Fox", "Puzzle Cube", "Rag Doll"],
}
ADJECTIVES = ["Rustic", "Tiny", "Golden", "Nordic", "Vintage", "Bold", "Soft", "Hand-dyed"]
SHOP_WORDS = ["Studio", "Atelier", "Workshop", "Corner", "House", "Collective", "Nest"]
SHOP_HEADS = [
    "Fern",
    "Copper",
    "Maple",
    "Indigo",
    "Willow",
    "Clay",
    "Saffron",
    "Juniper",
    "Harbor",
    "Thistle",
    "Amber",
    "Moss",
    "Pebble",
    "Lark",
    "Birch",
]
FIRST = [
    "Anna",
    "Lukas",
    "Marie",
    "Jonas",
    "Sofia",
    "Mateo",
    "Lena",
    "Hugo",
    "Elena",
    "Piotr",
    "Giulia",
    "Daan",
    "Zofia",
    "Louis",
    "Clara",
    "Marco",
]
LAST = [
    "Muller",
    "Dubois",
    "Garcia",
    "Rossi",
    "de Vries",
    "Kowalski",
    "Schmidt",
    "Martin",
    "Lopez",
    "Bianchi",
    "Jansen",
    "Nowak",
]
START, END = date(2023, 1, 1), date(2025, 6, 30)


def _day(rng: random.Random, low: date, high: date) -> date:
    return low + timedelta(days=rng.randint(0, (high - low).days))


def generate(out: Path) -> None:
    """Write sellers.csv, buyers.csv, listings.csv and orders.csv to `out`."""
    rng = random.Random(SEED)
    out.mkdir(parents=True, exist_ok=True)
    sellers = []
    shops = rng.sample([f"{h} {w}" for h in SHOP_HEADS for w in SHOP_WORDS], 40)
    for i, shop in enumerate(shops, start=1):
        tier = rng.choices(["Standard", "Pro", "Star"], [6, 3, 1])[0]
        onboarded = _day(rng, date(2021, 3, 1), date(2025, 3, 31))
        sellers.append((f"S{i:03d}", shop, rng.choice(COUNTRIES), tier, onboarded))
    _write(
        out / "sellers.csv",
        ["seller_id", "Shop Name", "country", "seller_tier", "onboarded_on"],
        sellers,
    )
    buyers = []
    for i in range(1, 301):
        country = rng.choice(COUNTRIES)
        loyalty = rng.choices(["", "Silver", "Gold"], [6, 3, 1])[0]
        buyers.append(
            (
                i,
                rng.choice(FIRST),
                rng.choice(LAST),
                rng.choice(CITIES[country]),
                country,
                _day(rng, date(2022, 1, 1), END),
                loyalty,
            )
        )
    _write(
        out / "buyers.csv",
        ["buyer_id", "first_name", "last_name", "city", "country", "signup_date", "loyalty_tier"],
        buyers,
    )
    listings = []
    for i in range(1, 201):
        category = rng.choice(list(CATEGORIES))
        seller = rng.choice(sellers)
        title = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS[category])}"
        price = round(CATEGORIES[category] * rng.uniform(0.3, 2.2), 2)
        listed = _day(rng, max(seller[4], date(2022, 6, 1)), date(2025, 5, 31))
        listings.append((1000 + i, seller[0], title, category, price, listed))
    _write(
        out / "listings.csv",
        ["listing_id", "seller_id", "title", "category", "list_price", "listed_on"],
        listings,
    )
    _write(
        out / "orders.csv",
        [
            "order_id",
            "listing_id",
            "buyer_id",
            "order_date",
            "ship_date",
            "delivery_date",
            "quantity",
            "item_price",
            "shipping_fee",
            "discount_amt",
            "status",
            "review_stars",
        ],
        _orders(rng, listings, buyers),
    )


def _orders(
    rng: random.Random, listings: list[tuple[object, ...]], buyers: list[tuple[object, ...]]
) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    # Some buyers never order, and orders grow over time (so growth questions mean something).
    active = rng.sample(buyers, 240)
    for i in range(1, 4201):
        ordered = _day(rng, START, END)
        if ordered.year == 2023 and rng.random() < 0.25:
            ordered = _day(rng, date(2024, 1, 1), END)
        listing = rng.choice(listings)
        price = float(listing[4]) * rng.choice([1, 1, 1, 0.9, 1.1])
        quantity = rng.choices([1, 2, 3, 4, 6], [10, 5, 2, 1, 1])[0]
        status = rng.choices(["delivered", "shipped", "cancelled", "refunded"], [80, 6, 8, 6])[0]
        ship = delivery = None
        if status != "cancelled":
            ship = ordered + timedelta(days=rng.randint(0, 4))
            delivery = ship + timedelta(days=rng.randint(1, 12))
            if status == "shipped" or delivery > END:
                delivery = None
                status = "shipped" if status != "refunded" else status
            if ship > END:
                ship, status = None, "shipped" if status == "delivered" else status
        stars = rng.choices([1, 2, 3, 4, 5], [1, 1, 3, 8, 10])[0]
        review = stars if status == "delivered" and rng.random() < 0.55 else ""
        discount = rng.choice([0, 0, 0, 0, 2.5, 5, 10]) if quantity * price > 40 else 0
        rows.append(
            (
                f"O{i:05d}",
                listing[0],
                rng.choice(active)[0],
                ordered,
                ship or "",
                delivery or "",
                quantity,
                round(price, 2),
                rng.choice([0, 3.9, 4.5, 6.9]),
                discount,
                status,
                review,
            )
        )
    rows.sort(key=lambda r: (r[3], r[0]))
    return rows


def _write(path: Path, header: list[str], rows: list[tuple[object, ...]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


if __name__ == "__main__":
    generate(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "data")
