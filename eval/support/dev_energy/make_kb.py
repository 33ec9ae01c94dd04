# ruff: noqa: E501  (page templates and table rows are data)
"""Writes the Brightwater Energy dev help centre (kb/): Markdown and plain text hard-wrapped at
72 columns the way help-centre exports are, HTML pages with site furniture around them."""

from __future__ import annotations

import textwrap
from pathlib import Path

KB = Path(__file__).resolve().parent / "kb"


def wrap(markdown: str) -> str:
    """Hard-wrap every paragraph and list item at 72 columns (tables and headings stay)."""
    out = []
    for block in textwrap.dedent(markdown).strip().split("\n\n"):
        lines = block.split("\n")
        if lines[0].startswith(("#", "|")) or lines[0].isupper():
            out.append(block)
            continue
        items = []
        for line in lines:
            marker = ""
            for m in ("- ", "* ", *tuple(f"{n}. " for n in range(1, 10))):
                if line.startswith(m):
                    marker = m
            if marker or not items:
                items.append(line.strip())
            else:
                items[-1] += " " + line.strip()
        items = [textwrap.fill(i, 72, subsequent_indent="  ") for i in items]
        if len(items) == 1 and not any(block.startswith(m) for m in ("- ", "* ", "1. ")):
            out.append(textwrap.fill(block.replace("\n", " "), 72))
        else:
            out.append("\n".join(items))
    return "\n\n".join(out) + "\n"


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Brightwater Energy Help</title>
<style>body{{font-family:sans-serif}}</style><script>window.dataLayer=[];</script></head>
<body>
<div class="cookie-consent">We use cookies to improve your experience. <a href="/privacy">Learn more</a>
<button>Accept all</button></div>
<header class="site-header"><a class="logo" href="/">Brightwater Energy</a>
<nav><ul><li><a href="/">Home</a></li><li><a href="/help">Help</a></li><li><a href="/account">My account</a></li></ul></nav></header>
<div class="maintenance-banner">Online account services will be unavailable on Sunday from 01:00 to 03:00.</div>
<ol class="breadcrumb"><li>Help</li><li>{crumb}</li></ol>
<div class="layout">
<main>
<article>
{body}
</article>
</main>
<aside class="sidebar"><h3>Popular articles</h3><ul><li>How to read your bill</li><li>Submit a meter reading</li></ul></aside>
</div>
<footer><p>Brightwater Energy Ltd, 4 Quay Street. Registered in England 0840011.</p>
<p><a href="/terms">Terms</a> | <a href="/privacy">Privacy</a></p></footer>
</body></html>
"""

TARIFFS = """
# Tariffs and prices

We offer three electricity and gas tariffs. Prices below include VAT at
5% and apply to customers paying by monthly Direct Debit. If you pay on
receipt of a bill instead, prices are 6% higher.

## Our tariffs

| Tariff | Unit rate (electricity) | Standing charge | Contract length | Exit fee |
|---|---|---|---|---|
| Flex Variable | 24.5p per kWh | 53.2p per day | none | none |
| Fixed 12 | 22.9p per kWh | 49.8p per day | 12 months | £50 per fuel |
| Green Fixed 24 | 23.4p per kWh | 49.8p per day | 24 months | £75 per fuel |

Gas unit rates are 6.1p per kWh on every tariff, with a standing charge of
31.4p per day.

## Price changes

On the Flex Variable tariff your prices can change. We will always tell
you at least 30 days before a price change takes effect, by email or
letter. Fixed tariffs keep the same unit rate and standing charge for the
whole contract.

## Green Fixed 24

All electricity on Green Fixed 24 is matched with renewable energy
certificates from UK wind and solar farms. For gas, we offset 100% of the
carbon emissions through verified forestry projects.

## Economy 7

If you have an Economy 7 meter, you pay a cheaper night rate of 13.9p per
kWh for seven hours each night, usually between 00:30 and 07:30. The day
rate is 27.8p per kWh. Economy 7 is only available on Flex Variable and
Fixed 12.
"""

BILLING = """
# Billing and payments

## Paying by Direct Debit

Most customers pay a fixed monthly amount by Direct Debit. We review your
Direct Debit every six months and may change it if you are using more or
less energy than expected. You can choose any payment date between the
1st and the 28th of the month.

If your account is more than £100 in credit at your annual review, we
refund the extra automatically unless you ask us to keep it.

## Late and missed payments

If a Direct Debit payment fails, we will try to take it again after 5
working days. A missed payment does not cost anything the first time. From
the second missed payment in 12 months we add a late payment fee of £12.

If you are struggling to pay, please talk to us before you miss a
payment. We can offer:

- a payment plan that spreads what you owe over up to 18 months
- a payment break of up to 3 months for customers who have lost their job
  or had a sudden drop in income
- help applying for the Warm Home Discount, a £150 credit paid each winter
  to eligible customers

## Bills and statements

We send a statement every month by email. Paper bills cost nothing but
take 3 to 5 working days to arrive by post. Your statement shows your
meter readings, what you used, your balance and your next payment.

## Refunds

You can ask for a refund of any credit at any time in your online
account. Refunds go back to the bank account your Direct Debit comes from
within 10 working days. If you have left us, we send your final bill
within 6 weeks and refund any credit within 14 days of the final bill.
"""

MOVING = """
# Moving home

Tell us at least 2 days before you move out, and no more than 28 days
before. You can do this in your online account or by phone.

## Before you move

1. Give us your moving date and your new address, so we can send the
   final bill to the right place.
2. Take meter readings on the day you move and send them to us within
   48 hours. A photo of each meter is best.
3. Tell us who is moving in, if you know.

## Taking Brightwater with you

If you move to a property we can supply, you can keep your tariff and we
will not charge an exit fee, even on a fixed tariff. If we cannot supply
your new home, for example because it has a heat network, you can leave
without an exit fee by sending us a copy of your tenancy agreement or
completion statement.

## Moving into a Brightwater home

If you move into a home we already supply, you will be on our Flex
Variable tariff from the day you move in. You can switch to a fixed
tariff at any time with no fee.
"""

SWITCHING = """
SWITCHING TO BRIGHTWATER

Switching to us takes 5 working days once your cooling-off period has
ended. Your old supplier will send you a final bill. You do not need to
tell them you are leaving; we do that for you.

COOLING-OFF PERIOD

You have 14 days from the day you agree your contract to change your mind.
You can cancel in that time without paying anything, by phone, by email
or in your online account.

LEAVING BRIGHTWATER

You can leave a Flex Variable tariff at any time without a fee. On a
fixed tariff you pay the exit fee for each fuel shown on the tariffs
page, unless you switch in the last 49 days of your contract, when there
is no exit fee.

If you owe us money when you leave, your new supplier may refuse the
switch until the debt is paid. This only applies to debts older than 28
days.
"""

SOLAR = """
# Solar export and electric vehicles

## Export tariff

If you have solar panels or a battery and a smart meter, you can sell the
electricity you do not use back to us on our Sunshare export tariff. We
pay 15p per kWh exported, paid as a credit on your account every quarter.
You must be on a Brightwater import tariff to join Sunshare, and your
system must have an MCS certificate.

## EV tariff

Our Drive tariff gives you a cheaper rate of 8.5p per kWh between 23:00
and 05:00 for charging an electric vehicle at home. The rest of the day
you pay 26.2p per kWh. To join Drive you need:

- a smart meter that sends half-hourly readings
- a home charger registered with us
- a fixed-term contract of 12 months (exit fee £50)

## Charger installation

We do not install chargers ourselves, but customers on Drive get £75 off
a charger installed by our partner Voltway. Claim it within 90 days of
joining Drive.
"""

METERS = """
<h1>Meter readings and smart meters</h1>
<p>Accurate readings mean accurate bills. If we do not have a reading, we
estimate your use from your past readings.</p>
<h2>Submitting a reading</h2>
<p>Send readings in your online account or the app. Readings submitted
before 18:00 appear on your account the next working day. We ask for a
reading at least once every 3 months if you do not have a smart meter.</p>
<h2>Smart meters</h2>
<p>Smart meters send readings automatically, so you never need to submit
them. Installation is free and takes about 2 hours for both meters.
Someone aged 18 or over must be at home during the appointment.</p>
<div class="note">If your smart meter stops sending readings for more than 30 days, we
will contact you. You do not pay anything to fix a faulty smart meter.</div>
<h2>Meter accuracy test</h2>
<table>
<tr><th>Meter type</th><th>Test fee</th><th>When the fee is refunded</th></tr>
<tr><td>Electricity meter</td><td>£65</td><td>if the meter is found to be faulty</td></tr>
<tr><td>Gas meter</td><td>£95</td><td>if the meter is found to be faulty</td></tr>
</table>
<p>A meter counts as faulty if it records more than 2.5% above your real use.</p>
"""

OUTAGES = """
<h1>Power cuts, gas leaks and compensation</h1>
<h2>If you smell gas</h2>
<p>Call the National Gas Emergency line on <strong>0800 111 999</strong> straight away,
at any time. Do not use light switches or naked flames, open the windows, and
turn off the gas at the meter if you can.</p>
<h2>Power cuts</h2>
<p>Power cuts are handled by your local network operator, not by us. Call 105 from
any phone to report a power cut or to find out when power will be back.</p>
<h2>Compensation for supply interruptions</h2>
<p>Network operators pay compensation when a power cut lasts a long time. The
payments below are set by the regulator:</p>
<table>
<thead><tr><th>Situation</th><th>Payment</th></tr></thead>
<tbody>
<tr><td>Power off for 12 hours or more (normal weather)</td><td>£95, plus £45 for each further 12 hours</td></tr>
<tr><td>Power off for 24 hours or more in severe weather</td><td>£80, plus £40 for each further 12 hours</td></tr>
<tr><td>Gas off for 24 hours or more</td><td>£30 for homes, plus £30 for each further 24 hours</td></tr>
</tbody>
</table>
<p>Payments are made automatically within 3 months; you do not need to claim.</p>
"""

PRIORITY = """
<h1>Extra help and complaints</h1>
<h2>Priority Services Register</h2>
<p>The Priority Services Register is free. You can join if you are of pensionable
age, have a disability or long-term medical condition, are recovering from an
injury, have a child under 5, or rely on medical equipment that needs power.</p>
<p>On the register you get:</p>
<ul>
<li>advance warning of planned power cuts</li>
<li>bills in large print, braille or audio</li>
<li>a password scheme, so you know a caller is really from us</li>
</ul>
<h2>Making a complaint</h2>
<p>You can complain by phone, email or in your online account. We aim to resolve
complaints within 5 working days. If we have not resolved your complaint within
8 weeks, or you are unhappy with our final response, you can take it to the
Energy Ombudsman for free.</p>
<h2>Contact us</h2>
<p>Our phone lines are open 8am to 8pm Monday to Friday and 9am to 1pm on
Saturday, on 0330 555 0142. Webchat is open 8am to 10pm every day.</p>
"""


def main() -> None:
    KB.mkdir(exist_ok=True)
    for name, text in [
        ("tariffs-and-prices.md", TARIFFS),
        ("billing-and-payments.md", BILLING),
        ("moving-home.md", MOVING),
        ("solar-and-ev.md", SOLAR),
    ]:
        (KB / name).write_text(wrap(text))
    (KB / "switching-and-leaving.txt").write_text(wrap(SWITCHING))
    for name, title, crumb, body in [
        ("meter-readings.html", "Meter readings", "Meters", METERS),
        ("power-cuts-and-gas-leaks.html", "Power cuts", "Emergencies", OUTAGES),
        ("extra-help-and-complaints.html", "Extra help", "Support", PRIORITY),
    ]:
        (KB / name).write_text(PAGE.format(title=title, crumb=crumb, body=body.strip()))


if __name__ == "__main__":
    main()
