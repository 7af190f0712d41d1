"""English phrase bank: how shoppers actually write to an online shop's customer service."""

from __future__ import annotations

from classifiers.training.bank import LanguageBank

CORE: dict[str, str] = {
    "order_status": """
where is my order
where's {order}?
can you tell me where my package is
I'd like to track {order}
has my order shipped yet?
my order still hasn't arrived
I ordered the {product} {when} and it still hasn't come
tracking number please
how can I track my parcel?
what's the status of {order}
order status?
it's been {ndays} days and my order isn't here
the tracking hasn't updated since {when}
tracking says delivered but I never got anything
when will my order arrive?
is my order on its way?
I haven't received a shipping confirmation yet
can you check on {order} for me
any update on my delivery?
my package seems to be stuck in transit
{person} ordered a present for me {when}, can you tell us where it is?
the courier said it would come today but nothing showed up
I need to know when my parcel will be delivered
how do I check my order status
my tracking link doesn't work
where can I find the tracking number for my order
was my order dispatched?
I placed an order {when} and haven't heard anything since
still waiting on my package
has {order} been sent out?
the order has said processing for a week now, what's going on?
is {order} delivered yet
{carrier} tracking shows no movement for days
can you give me an ETA on my order
I want to know where my stuff is
my parcel is late
it should have arrived {when}, where is it?
the estimated delivery date has passed and still nothing
could you look up the shipping status of my order
order hasn't shown up
what's happening with my order?
I need to follow up on my order
has the {product} I ordered been shipped?
is there any news about {order}?
how long until my order gets here?
my order shows shipped but the tracking has no info
I was supposed to get my package {when}
track order
check order status
where's my stuff
I still don't have my order, it's been over two weeks
can I get a tracking number for {order}
my order is taking forever
my {product} never arrived
did you ship my order or not?
the parcel went back to the depot, where is it now?
tracking says out for delivery since yesterday
the delivery status hasn't changed in {ndays} days
where can I see the progress of my order
I'd like an update on the whereabouts of my package
I want to locate my order
has {order} left your warehouse?
I need the tracking info for my purchase
i wanna know when my order ships
help me track the order I placed for {person}
still no sign of my parcel
the order confirmation said 3 days, it's been {ndays}
hi, I'm just checking in on {order}
the {carrier} driver never came and the tracking says 'attempted delivery'
is my package lost?
my order seems to have disappeared
nothing has arrived yet
the app says my order is 'preparing' since {when}
hello, do you know when {order} will be shipped?
I got an email saying my order was shipped but no tracking number
waiting for my order since {when}
""",
    "delivery_info": """
how quickly can you get things to {city}?
how soon would an order get to {country} if I buy today?
how long would {bulky} take to reach {city}
what does it cost to send {bulky} to {city}?
do you deliver to the Highlands and islands?
how fast is delivery to {city} usually?
what shipping options do you have?
how much is shipping?
how long does standard shipping take?
do you ship to {country}?
is there free delivery?
what's the minimum order for free shipping
how long does express delivery take?
what are your delivery times
do you offer next day delivery?
can I pick up my order from a pickup point?
how much does express shipping cost
which couriers do you use
do you deliver on weekends?
what are the delivery costs to {country}
can I choose a delivery date?
is international shipping available
how many days does delivery usually take?
delivery options?
do you have click and collect
how fast can you deliver to {city}
I'm wondering what delivery methods are available
is it possible to get same-day delivery?
shipping to {country}, how long does it take?
do you ship internationally?
how much is delivery for big items like {bulky}
do you deliver to PO boxes?
are there customs fees if you ship to {country}?
what's the delivery period for orders to {country}
can I get my parcel delivered to a parcel locker
do you offer express shipping?
standard vs express, what's the difference?
if I order today when would it arrive?
what time do your couriers usually deliver
do you ship to the Canary Islands
what's your cut-off time for next day delivery
how much is postage to {country}
do you charge for delivery?
I'd like to know the delivery options for my area
what are the shipping rates
is shipping free on orders over 50?
delivery time to {country}?
how long do deliveries to the islands take
which delivery options do you offer in {country}
do you do in-store pickup?
do you deliver {bulky} to the room or just to the door
do you have a tracked shipping option
can I pay extra for faster shipping
does delivery take longer during the holidays?
how long will shipping take if I order now
do you deliver to rural areas
is there a delivery option on saturdays
how much does it cost to ship to {country} and how long does it take?
I need something by friday, what are my shipping options?
I'd like information about your delivery periods
what's the estimated delivery time for standard orders
where are your pick-up points
can I collect my parcel at a post office?
is delivery included in the price?
how long does it take to ship to {country}
how long is the shipping time to {country}
do you have an economy shipping option
do you deliver on sundays?
how much do you charge for shipping to {city}?
what are the delivery charges
can you deliver in the evening?
do you have a delivery subscription for free shipping?
is there a flat rate for shipping
what does express delivery cost and is it worth it
can I get it delivered within 24 hours?
do you deliver outside the EU?
""",
    "shipping_address": """
I want to change the address on my order
I entered the wrong shipping address
help me set up a new delivery address
how do I add a new shipping address to my account?
can I update my delivery address?
I moved, I need to update my shipping address
please change the delivery address for {order} to {street}
I typed the wrong postcode on my order
how can I set a default shipping address?
I need to ship {order} to a different address
my address is wrong on the order
wrong address!! please fix it
can you send my parcel to my work address instead?
I'd like to add a second delivery address
how do I edit my saved addresses?
the address on {order} is missing the apartment number
I want to remove an old address from my account
is it too late to change where my order is being shipped?
change shipping address
I need to correct my delivery address
my order is going to my old address
can I have it delivered to {person}'s house instead?
new shipping address please: {street}
I forgot to put my flat number in the address
set up shipping address
can I ship to a different address than my billing address?
the street name in my delivery address is misspelled
how do I save a new address for deliveries
update the address for {order}
I'd like to redirect my package to another address
please update the shipping address on my account
my address changed, where do I update it?
can I change the delivery address after placing the order?
I set up the wrong default address
I need to add my new home address
where do I enter a new shipping address?
I gave you the wrong zip code
the shipping address won't save in my account
can't add a new address, it gives me an error
change my delivery address to {street} please
I won't be home, can you send it to my office address instead?
the house number is wrong on my order
could you change the address for the order I placed {when}
I'd like to have my order shipped to a different address
how do I setup a different shipping address?
I want to use a different delivery address for this order
is it possible to modify the shipping address?
my billing and shipping addresses got mixed up
I accidentally had it sent to my old flat
I need help with my shipping address
I need to list a new shipping address
please make {street} my default delivery address
can you fix the delivery address before it ships?
the checkout won't accept my address
I want to set up a delivery address for {person}
I need to amend the postal address for my delivery
the postcode field keeps rejecting my address
how do I change the country in my shipping address?
add address
the delivery address shows my parents' house, I need it changed
wrong city in my shipping address
I'd like to register a new shipping address
please deliver to my neighbour at number 14 instead, I'll be away
need to switch the shipping address on my order
the address autocomplete picked the wrong street
I just noticed my old address is still on the order
can I change the delivery address to a pickup point address?
where do I manage my delivery addresses?
""",
    "order_change": """
I want to change the size on my order before it ships
can I add another item to my order?
I need to remove an item from {order}
can I change the colour of the {product} I just ordered?
I ordered the wrong size, can you change it before it's sent?
please change the quantity from 1 to 2
I want to modify my order
how do I edit an order I already placed?
can I swap one item in my order for another?
I forgot to add something to my order
change order
is it possible to update my order?
can I still make changes to {order}?
please remove the {product} from my order and keep the rest
I'd like to add a gift message to my order
can you change my order to size {size}?
I picked the wrong colour when ordering, can you change it?
can I combine two orders into one?
I ordered 3 but I only need 2
I'd like to change an item in my order before dispatch
I placed an order {when} and want to add another item to it
edit my order please
how can I amend my order?
I chose the wrong model when ordering, can you switch it?
I want to change my order from {colour} to {colour2}
is it too late to change my order?
can I change my order after paying?
I'd like to update the items in my order
could you add one more {product} to {order}
I need to make a change to my purchase
I want to change the product in my order
modify {order}
please update my order, I need the larger size
help me change an order
can I replace an item in my pending order?
I'd like to change the quantity of the {product} in my order
can I edit order details after checkout?
I accidentally ordered two of the same thing, can you remove one?
can I change the specs of the laptop I ordered? I want more memory
I made a mistake in my order
I selected the wrong option when ordering
I need to adjust my order
can I add {a_product} to the order I just placed?
is it possible to change the size before shipping?
I'd like to change a few things in my order
how do I change items in my order?
can you update {order} with the correct size?
please swap the {size} for a {size2} in my order, it hasn't shipped yet
I want to change the item in my order
I changed my mind about the colour, can you change it before you send it?
could I modify the order I placed this morning?
I want to add an extra pack to my order
can I still add items before it ships?
I need to change one of the products I ordered
my order isn't shipped yet, can I change the quantity?
I'd like to take one item off my order
how can I edit the products in my order?
need to change my order asap before it's dispatched
can I change the engraving text on my order?
can you help me modify a purchase?
I want to change the bundle I ordered
I'd like to change my order, the {product} should be {colour}
can I upgrade the {product} in my order to the bigger version?
there's a typo in the personalised name on my order, can you fix it?
I want to edit my order
""",
    "order_cancel": """
{person} ordered this by mistake on my card, please cancel it
i need help cancelling my last order
cancel my order please
how do I cancel an order?
I want to cancel {order}
is there a fee to cancel my order?
what's the cancellation fee?
can I cancel my order and get a refund?
I changed my mind, please cancel my purchase
I ordered by mistake, can you cancel it?
cancel {order}
I'd like to cancel the order I placed {when}
is it too late to cancel?
can I still cancel if it's already shipped?
how can I cancel my purchase?
please cancel everything, I don't want it anymore
is there a penalty for cancelling?
what's your cancellation policy?
I accidentally placed two orders, please cancel one
how long do I have to cancel an order?
I want to cancel my order for the {product}
cancellation request for {order}
where's the cancel button for my order?
I can't find how to cancel my order online
cancel order
I found it cheaper elsewhere, please cancel
do you charge anything for cancellations?
I need to cancel an order {person} made on my account
I'd like to know about cancellation charges
I tried to cancel but the website won't let me
I want to cancel my pre-order
I don't need the {product} anymore, cancel it please
can you cancel my order before it's dispatched?
how do I cancel part of my order?
this is taking too long, I want to cancel my order
I'd like to call off my order
cancel it pls
can my order be cancelled?
are cancellations free?
I need to cancel asap
I'd like to check the cancellation fees
I want to withdraw my order
what happens if I cancel my order?
I'd like to cancel my order and get my money back
order cancellation
I ordered the wrong thing, just cancel the whole order
please confirm my order has been cancelled
did my cancellation go through?
I want to cancel the purchase I made {when}
I'd like to cancel an order I made by mistake
can you void my order?
how much will I be charged if I cancel?
I placed an order but I want to cancel it now
help me cancel a purchase
the order was a mistake, cancel please
I wish to cancel my recent order
I need to cancel the {product} I bought {when}
can I cancel my order online or do I need to call?
cancel {order} immediately
I no longer want my order, how do I cancel?
do I get charged a cancellation fee if it has already shipped?
I want to cancel my subscription box order
stop my order, I don't want it
I was told I could cancel within 24 hours, please do it
can I cancel just one order out of the two I placed?
don't send my order, I want to cancel
how do I cancel an order I placed as a guest?
""",
    "return_exchange": """
the boots are too tight, can I send them back for a bigger pair?
it's a bit snug, can I swap it for one size up?
the sleeves are too short, can I exchange it for a larger size?
I need to go up a size, how do I exchange?
the {product} is too big, can I get a smaller one instead?
doesn't fit, I want a different size
can I exchange my trainers for a different colour?
they're too loose, I'd like to swap them for a size down
I want to return the {product}
how do I return an item?
can I exchange this for a bigger size?
what's your return policy?
I need a return label
how long is the return window?
the {product} doesn't fit, can I swap it for a size {size}?
I'd like to exchange my {product} for a different colour
where do I send my return?
how do I start a return?
can I return a sale item?
return request for {order}
I didn't like the {product}, I want to send it back
are returns free?
do I have to pay for return shipping?
can I return items in a store?
I lost my return label
can you email me a return label?
how do I exchange an item?
I want to swap the {product} for another model
I need to return part of my order
is it too late to return the {product} I bought {when}?
can I return it without the original packaging?
return
exchange size please
I ordered two sizes and want to send one back
what's the return process?
how do I print the return label?
can I exchange a gift I received?
I'd like to return this, it's not what I expected
I want to exchange it for a smaller size
which items can't be returned?
I need to organise a return
can I drop off my return at a parcel shop?
how do returns work?
I'd like to send back the dress, it's too big
do you offer exchanges?
I changed my mind about the {product}, can I return it?
the {product} is too small, I need a larger one
can I exchange it for store credit?
the returns portal isn't working
how long do I have to send back an item?
what's the return policy for electronics?
want to return my order
can I return something I bought online in one of your shops?
what's the returns address?
I'd like to exchange these shoes for a half size up
can I get a different colour instead?
I'd like to return an unopened {product}
do I need the receipt to return something?
I want to return a gift without the buyer knowing
how do I book a return pickup?
can I return it after 30 days?
return my {product}
I need to swap my jacket for a size {size}
the fit isn't right, can I exchange it?
how do I send back {order}?
the {product} isn't what I wanted, I'd like to return it
I'm not happy with the {product} and want to return it
can I exchange online or do I have to return it and reorder?
I need to return my purchase
is there a restocking fee for returns?
returns label please
is it possible to exchange a product I bought {when}?
I want to return the {product} {person} bought me
the trousers are too long, can I exchange them for a shorter leg?
does the return have to be in the original box?
I'd like to start an exchange
""",
    "refund": """
{person} returned the {product} for me {when}, where's the refund?
I want a refund
refund status?
where is my refund?
when am I getting my money back?
can you tell me about your refund policy
I returned the {product} {when} and haven't been refunded
how long do refunds take?
I'd like to request a refund for {order}
I still haven't received my refund
can I get my money back?
my refund hasn't shown up on my card
you said you'd refund me {when}, where is it?
how do I get a refund?
refund please
I want my money back
has my refund been processed?
I was promised a refund and still nothing
can I get a refund instead of an exchange?
will the refund go to PayPal or my card?
what's the refund policy for sale items?
track my refund
can you check the status of my refund?
you only refunded part of my order
why was my refund smaller than what I paid?
I cancelled {order} {when}, when will the money come back?
how long until the refund shows in my bank account?
I need a refund for the {product}
can I be reimbursed for the shipping costs?
do you refund shipping costs?
will I get a full refund?
refund not received
it's been {ndays} days since my return arrived, where's my refund?
do you offer refunds on digital products?
I want a refund, not store credit
I'm still owed {amount}
can you refund me to a different card? my old one is closed
refund for {order}
the refund was issued but I don't see it
how are refunds paid out?
in what cases can I get a refund?
I need my money back asap
what are the conditions for a refund?
can I get a partial refund?
the refund went to the wrong account
I'd like to know how refunds work
the item was out of stock and you still haven't refunded me
check refund status
any news on my refund?
money back please
I'm waiting for a refund for {order}
please process my refund
is my refund on the way?
how much will be refunded?
I want to claim a refund
I got an email saying refund issued, but nothing in my account
could you refund the difference? the price dropped a day after I bought it
can I get my money back if I don't like it?
refund policy?
when will my refund be credited?
my refund hasn't come through yet
do you give refunds or only exchanges?
my bank says no refund has been sent
you owe me {amount} from my return
I returned everything {when}, how long before I'm refunded?
can I get a refund without returning the item?
how do I track a refund?
""",
    "damaged_or_wrong_item": """
the strap broke after one day
the handle snapped off the first time I used it
it fell apart after a week
the heel came off the first time I wore them
the fabric ripped on the first wash
the lid cracked as soon as I opened it
{person} gave me the {product} as a present and it was already broken
I bought the {product} for {person} and it turned up broken
the stitching came undone on the first day
a piece snapped off when I took it out of the box
the paint is chipped all over
my {product} broke within a week
the clasp on the bracelet broke straight away
my {product} arrived damaged
the item I received is broken
you sent me the wrong item
there's an item missing from my package
the box was crushed and the {product} inside is damaged
the {product} doesn't work
it arrived with a big scratch
I received someone else's order
you sent the wrong size, I ordered {size}
my parcel only had 2 of the 3 items
the {product} is defective
one of the items in my order is missing
the screen was cracked when I opened it
the {product} stopped working after two days
what I received is not what I ordered
the package arrived open and half empty
there's a hole in the {product}
the {product} came with missing parts
there were no screws in the box for the {product}
the {product} arrived in {colour} but I ordered {colour2}
faulty product
it's leaking
the item is stained
I received a used item
the seal was broken when it arrived
damaged item
wrong product delivered
the zip on the {product} broke the first time I used it
my order is incomplete
the glass top was smashed to pieces
the charger caught fire
my phone charger started smoking
the power bank got so hot it melted
the charger sparked when I plugged it in
the battery swelled up and split the case
the hair dryer burst into flames
it gave me an electric shock
the cable melted and burned my desk
the {product} overheated and there was smoke
the plug of the {product} is scorched
the charger is missing from the box
you sent me a completely different product
the {product} has a manufacturing defect
items missing
the parcel arrived soaking wet and everything is ruined
the product is damaged, what do I do?
I only got half of my order
the sofa arrived with a broken leg
it won't turn on
the {product} is torn
I received the wrong model
the order had the wrong quantity in it
the {product} has a crack in it
your courier must have dropped it, it's in pieces
my package came without the {product}
the label has my name but the contents aren't mine
received a defective item, I need a replacement
it came broken, can you send a new one?
the item doesn't match the description, you sent the wrong one
the box was empty
the {product} has marks on it and smells, it looks used
the packaging was damaged and the item is scratched
I've been sent two left shoes
there's a button missing on the {product}
the headphones only work on one side
the seams are already coming apart
the {product} I got is a different brand from the one I ordered
the item has a dent and some scratches
I received the {product} broken
my delivery was missing an item
the accessories weren't in the package
got the wrong thing
the item is faulty, I want a replacement
the mug was in pieces when I unpacked it
half the plates in the set are chipped
the kettle leaks from the bottom
the {product} I received is not the one in the photo
""",
    "payment_billing": """
what payment methods do you accept?
my payment was declined
I was charged twice for {order}
my promo code doesn't work
can I pay with {paymethod}?
the discount code isn't being applied
why was my card charged when the order failed?
the payment failed but the money was taken
do you accept PayPal?
can I pay in instalments?
there's a charge on my statement I don't recognise
I can't complete the payment at checkout
card declined again
do you take American Express?
double charged
the voucher code says invalid
I was charged more than the price shown
the total at checkout is wrong
can I pay by bank transfer?
do you accept cash on delivery?
how do I change my payment method?
I want to update the card I pay with
my gift card isn't working
I want to dispute a charge
I filed a chargeback with my bank
the payment page keeps crashing
why is there a pending charge on my card?
my Klarna payment didn't go through
is it safe to pay with my card on your site?
can I use two payment methods?
can I pay with a gift card and a credit card together?
has the coupon code expired?
payment problem
I got charged but have no order confirmation
3D Secure verification keeps failing
billing issue
why was I billed {amount}?
I need help with a payment
my bank says the payment was authorised but your site says it failed
I think I was overcharged
the student discount isn't working
how do I apply a discount code?
can I pay later?
do you accept crypto?
I was charged for shipping twice
payment options?
my PayPal payment is stuck on pending
the checkout says my card is invalid
I have an issue paying for my order
I can't pay with Apple Pay
there is an unknown charge from your company on my statement
my subscription renewed and charged me without asking
the price changed at checkout
where do I enter a promo code?
my payment keeps getting refused
what cards do you take?
can I pay with a debit card?
do you accept Google Pay?
the first-order discount wasn't applied
I'm getting an error when I try to pay
report a payment issue
there's a billing problem on my account
I'd like to know which payment options you offer
charged 3 times for one order!!
the money left my account but the order says unpaid
can I pay cash when I pick it up?
the newsletter discount code says it's already been used
why do I have to pay VAT on top?
is there a way to pay by invoice?
""",
    "invoice": """
how do I get an invoice for my purchase?
I need an invoice for {order}
can you send me the receipt?
where can I download my invoice?
I need a VAT invoice
the invoice has the wrong company name on it
please include my tax ID on the invoice
I didn't receive an invoice with my order
invoice please
I'd like a copy of my invoice
can I get the invoice in my company's name?
my invoice is wrong
where do I find my invoices in my account?
can you resend the invoice for {order}?
I need a receipt for my expenses
the invoice amount doesn't match what I paid
can I get a proforma invoice?
I need an itemised receipt
the invoice address is wrong
can I change the billing address on the invoice?
how do I check my invoice?
I lost my receipt, can you send another one?
I need invoices for all my orders this year
can you issue a corrected invoice?
the invoice doesn't show the VAT
is the invoice sent by email?
I need an invoice for my accountant
please send the invoice to {email}
can I get a receipt for the {product}?
invoice for {order}?
where's my invoice?
I need a bill for my purchase
I need a credit note for my return
the invoice is missing my address
I can't open the invoice PDF
I'd like to see my invoice
could you generate an invoice for me?
download invoice
how can I get a tax invoice?
the receipt shows the wrong date
I need a business invoice with my company details
can I have a paper invoice?
get invoice
my invoice shows the wrong items
is it possible to get a duplicate invoice?
I want to check the invoice from {when}
send me the invoice
I need proof of purchase for the warranty
the invoice link in the email is broken
I need an invoice with my name spelled correctly
can you split the invoice into two?
where can I view my past receipts?
I need the invoice in English
I'd like an invoice with my company's address
I haven't got the receipt for my order
can I get an invoice for the delivery fee as well?
the invoice number is missing
please email me a copy of the receipt for {order}
I need to find my invoice from {when}
invoice request
could you tell me how to obtain an invoice?
I need invoices for tax purposes
the invoice total is wrong
my employer needs an invoice for the {product}
the VAT number on my invoice is incorrect
can you put the invoice under my business name instead of mine?
""",
    "product_question": """
what's the {product} made from?
is this shirt 100% cotton?
how many watts is the blender?
what's the screen size of the tablet?
is the rug washable?
does the {product} come with a charger?
is the {product} in stock?
do you have this in size {size}?
how do I place an order?
I want to buy the {product}
what material is the {product} made of?
is this phone case compatible with the iPhone 15?
when will the {product} be back in stock?
does the {product} come in {colour}?
what size should I get? I'm usually a medium
how do I order from your website?
can I order by phone?
is the {product} waterproof?
what are the dimensions of the {product}?
help me place an order
I'd like to purchase the {product}
does the {product} have a warranty?
are your jeans true to size?
can you recommend {a_product} for a beginner?
is the {product} machine washable?
does the coffee machine work with capsules?
what's the difference between these two models?
I need help buying the {product}
does the sofa come assembled?
will this charger work with my laptop?
is the leather real?
how big is the {product}?
do you sell replacement parts for the {product}?
can I buy without creating an account?
out of stock? when do you restock?
is the {product} suitable for kids?
what's the battery life on the headphones?
does the jacket run small?
I want to order the {product} but don't know how
can I reserve an item?
do you have it in a larger size?
how do I buy a gift card?
is this the latest model?
will the {product} go on sale soon?
how much does the {product} weigh?
where's the size chart for women's shoes?
are these running shoes good for wide feet?
is the mattress available in king size?
what colours does the {product} come in?
does the lamp need a special bulb?
how to make a purchase?
I'd like to buy something, how does it work?
can I still order the {product} from last season?
is this product vegan?
is this dress lined?
what's included in the box with the {product}?
is the {product} dishwasher safe?
I can't find the {product} on the site anymore, do you still sell it?
how many are left in stock?
do you have the {product} in {colour}?
I want to make an order
which size would fit a 5 year old?
does the {product} come with batteries?
how do I add items to my cart?
what's the fabric composition?
is it compatible with Android?
buy {product}
I'm looking for {a_product}, do you have any?
can you help me choose between two sizes?
I want to purchase an item
is the {product} in stock online or only in shops?
are the {product} measurements in cm or inches?
does this blender crush ice?
""",
    "account": """
{person} set up my account and I don't know the password
how do I create an account?
I forgot my password
I want to delete my account
my account was hacked and I can't log in
how do I change the email address on my account?
I can't log in
reset password
unsubscribe me from the newsletter
how do I sign up for the newsletter?
I want to close my account
I didn't get the password reset email
how do I edit my profile?
I have two accounts, can you merge them?
how do I switch to my other account?
the registration form won't accept my email
I can't register, it says my email is already in use
my account is locked
change my phone number in my account
stop sending me emails
how do I update my personal details?
I want to open an account
the verification email never arrived
I can't recover my account
how to change password?
please remove all my personal data
my login doesn't work on the app
someone else is using my account
how do I log out of all devices?
how do I change my username?
I want to switch from a personal to a business account
registration error
how do I manage my email preferences?
opt me out of marketing emails
I keep getting logged out
the two-factor code isn't arriving
how do I deactivate my account?
I signed up with the wrong email
my account shows someone else's name
account problems
how do I subscribe to your newsletter?
I want to stop receiving the newsletter
can't sign in with Google
the password reset link has expired
I need to update my date of birth on my profile
create account
delete my account
help me recover my password
the sign up page gives an error
I want to switch accounts
I'd like to register
I can't access my account
my password isn't working
how do I change the email I use to log in?
I'm getting too many emails from you
how do I edit my account information?
can I change the name on my account?
I'd like to cancel my newsletter subscription
I want to open a second account for my business
please close my account permanently
my account got suspended, why?
I can't verify my email address
how do I log in with my phone number?
I want to update my account settings
I need to change the password of my account
forgot username
someone changed my password without me knowing
I never signed up but I'm getting your emails
can I use the same account on the app and the website?
""",
    "complaint": """
the representative I talked to was condescending
your call centre staff were useless
I was on the phone with an agent for an hour and nothing was solved
the chat agent closed my conversation without helping me
I want to complain about the agent who handled my call
your employee put the phone down on me
I was cut off three times and nobody called back
this is outrageous
the way your staff spoke to me was disgraceful
i want to make a complaint
I'm very unhappy with your service
your customer service is terrible
the agent I spoke to was rude
I want to file a formal complaint
this is the worst shopping experience I've ever had
I've been waiting for weeks and nobody answers my emails
I'm disappointed with how my issue was handled
how do I make a complaint?
complaint
your staff were extremely unhelpful
I'm fed up with your company
I'll never shop here again
I'm going to report you to consumer protection
this is unacceptable
where can I submit a complaint?
I'm not satisfied with the service I received
nobody has replied to my three emails
your delivery driver was very rude to me
I've been passed around between departments for days
I want to complain about the delivery service
your chatbot is useless
I'm extremely dissatisfied
I'd like to raise a complaint about my last order
I want to escalate my complaint
the quality of your service has really dropped
I was treated badly in your store
you keep promising things and never deliver
I'm sick of waiting for answers
ridiculous service!!!
how do I file a complaint against your company?
worst customer service ever
I'm angry about how I've been treated
nobody is taking responsibility
I'm writing to complain about the way my case was handled
this is the third time this has happened, I'm done
I've had enough of your excuses
your return process is a nightmare
I feel cheated
I want to complain about one of your employees
I'm really disappointed in your company
this company is a joke
your website is awful and nothing works
the service I got was shameful
I demand an explanation
your support team lied to me
your courier left my parcel in the rain, I want to complain
where do I lodge a complaint?
I wasn't happy with the way the agent spoke to me
nobody called me back like you promised
I want to report bad service
this is totally unprofessional
I'm very upset with your company
I'll post about this on social media if it isn't fixed
I have a grievance
I want to complain
you people are hopeless
I wasted hours on hold
I'm not happy at all
terrible experience, very dissatisfied
I'm complaining about the attitude of your staff
how can I make a complaint about a store employee?
I'm sorry but this service is appalling
third email this week and still no answer, this is a disgrace
I expected much better from a company like yours
I want my complaint to be recorded
""",
    "feedback": """
the lady on the phone was so helpful, thank you
your agent sorted out my problem in minutes, brilliant
great customer service, thanks a lot
the person in the chat was really patient with me
I want to thank the advisor who helped me yesterday
excellent support, really quick answers
the staff at your store were lovely
I just wanted to say the service today was top notch
{person} loved the present, thank you so much
I want to leave a review
thank you for the great service
wanted to say a big thank you to your team
how can I rate my purchase?
I have a suggestion for your website
your support team was amazing
where can I write a review for the {product}?
love the {product}, great quality
I'd like to give some feedback
the delivery was super fast, thanks!
you should add a dark mode to the app
great job
I'd like to rate your service
how do I leave feedback?
the agent who helped me was really kind, please pass on my thanks
it would be nice if you offered more sizes
review
I'm very happy with my order
5 stars
can I submit a product review?
I want to share my experience
everything went perfectly, thanks
suggestion: let customers save favourites in the app
keep up the good work
I want to compliment one of your employees
{agent} from customer support was fantastic
the packaging was lovely, thank you
I'd like to give you some feedback on your website
where do I post a review?
how can I review my order?
your new app is much better
I have some ideas to improve your service
thanks a lot for sorting this out so quickly
best online shop I've used
I want to write a testimonial
leave feedback
quick feedback: the checkout is a bit confusing
your prices are great
I'd recommend you to all my friends
I'd like to submit a review
I'd love to tell you how much I like the {product}
just a compliment for the team
the survey link doesn't work, I wanted to leave feedback
can I leave a review without an account?
thank you so much!
awesome service, very impressed
thanks for the quick refund
thanks for replacing the broken item so quickly
you guys are the best
I want to give my opinion about the {product}
some feedback about the delivery
how do I rate a seller?
I'd like to make a suggestion
it would be great if you added more colour options
the customer service chat was very helpful today
I want to say how satisfied I am
happy customer here
I wanted to leave some positive feedback
please thank the delivery driver for me
great experience shopping with you
I'm writing to praise your service
where can I rate the app?
I have feedback on your product range
I'd like to write a review about your shop
just received my order, very pleased
the {product} is even better than in the pictures
""",
    "human_agent": """
I'd like to speak to a real person
can I talk to a human?
agent
what's your customer service phone number?
give me a phone number to call
connect me to a representative
I want to talk to someone
how do I contact customer support?
can someone call me back?
is there a live chat?
human please
I don't want to talk to a bot
transfer me to an agent
how can I reach customer service?
customer service email address?
what are your customer service hours?
I need to speak to a manager
speak to agent
get me a real person
can I call you?
representative
please have someone call me on {phone}
I need help from a person, not a machine
how do I get in touch with your support team?
is there a number I can call?
operator please
I'd like to chat with a live agent
contact customer service
I want to talk to customer care
put me through to someone who can help
is anyone there? a real person?
I'd like a callback
do you have a hotline?
let me speak to your supervisor
I need to talk to a human about my order
can I speak with someone in person?
where can I find your contact details?
how do I contact you?
talk to human
your bot doesn't understand me, I want an agent
can I get someone from support on the phone?
I want to speak with a customer service representative
is there a WhatsApp number for support?
whats the number for customer service
please escalate this to a human
I need assistance from an employee
could I talk to an actual agent?
I want a human agent
contact support
call me back please
how can I speak to someone from your team?
I'd like to speak to someone about my account
can you give me the customer service email?
real human please
I want to talk to a live person now
is there a phone line I can ring?
who can I talk to?
connect me to customer support
can a staff member contact me?
I need the support phone number for {country}
I'd rather talk to a human being
I need to speak to an advisor
how can I reach a human at your company?
is there someone who speaks Spanish I can talk to?
I'm not typing all this again, just get me a person
""",
    "other": """
how many stores do you have?
when was your company founded?
who owns your company?
are you a UK company?
media enquiry: could someone from your PR team get back to me?
I'm a reporter and would like a comment for a story
do you accept job applications?
how do I apply to work in your warehouse?
are you looking for delivery drivers?
I'd like to work for you
where do I send a job application?
any part-time jobs going?
I'm looking for seasonal work
do you need extra staff for christmas?
do you have any job openings?
I'd like to apply for a job
we'd like to discuss a partnership
do you sell wholesale?
hello?
test
when is your {city} store open on sundays?
can you gift wrap things?
I'm a journalist writing an article about online retail
who is the CEO of your company?
do you have a physical store in {city}?
hi
asdfgh
what's the weather like today
I'm interested in becoming a supplier
where is your company headquartered?
do you offer internships?
can I advertise on your website?
I'm an influencer, would you like to collaborate?
ok
good morning
tell me a joke
is your company listed on the stock market?
what's your company's sustainability policy?
can I send you my CV?
we are an SEO agency and can improve your Google ranking
what's the capital of France
lol
press inquiry
I'd like to sell my products on your marketplace
do you sponsor events?
how many employees do you have?
hello is anyone reading this
just testing the chat
wrong chat sorry
never mind
where is your head office?
what does your company name mean?
can I visit your warehouse?
is the store in {city} open on public holidays?
do you do gift wrapping?
can I buy your company lol
random
I'm doing a university survey about online shopping, could you answer a few questions?
is this the right number for the pizza place?
do you donate to charity?
I'd like to become an affiliate
where can I park near your store?
are dogs allowed in your shop?
123
???
yo
I have a business proposal for you
can I get a quote for 500 units for my company?
recruitment
is your shop open on christmas day?
do you have a franchise program?
we'd like to invite your team to our trade fair
hmm
message sent by mistake, sorry
can I drop by your office?
who founded this company?
do you ship... never mind, wrong tab
are you a real company?
what are the opening hours of the outlet store?
""",
}

TEMPLATES: dict[str, str] = {
    "order_status": """
[where is|where's|wheres|what happened to|any news on|status of|can you locate] \
[my order|my package|my parcel|{order}|my delivery|the {product} I ordered]
[I want to|I need to|how do I|how can I|can you help me|help me] \
[track|check the status of|follow|trace] [my order|my package|{order}|my shipment|my parcel]
[I ordered|I bought|I purchased] the {product} {when} [and it hasn't arrived yet|but it's \
still not here|and I have no idea where it is|and the tracking shows nothing]
[has {order} shipped|did {order} ship|has {order} left the warehouse|did {order} go out] \
[yet|already|]
[it's been|it has been|already] {ndays} days [and|but] [still no package|my order isn't here|\
nothing has arrived|the parcel hasn't come]
[when|what day] will [my order|my package|{order}|the {product}] [arrive|be delivered|get here]
[can you|could you|pls] [check|look up|tell me] [where|when] [my order|{order}|my parcel] \
[is|will arrive|is arriving]
[tracking|tracking number|tracking link|order status] for {order}[?|| please]
""",
    "delivery_info": """
how [soon|quickly|fast] [can you deliver|could you get|would you be able to send] \
[{a_product}|{bulky}|an order|a parcel] to [{city}|{country}]
[how long does|how long will|how many days does] [standard|express|next day|international|\
normal] [shipping|delivery] [take|usually take][ to {country}|]
[how much is|how much does|what does|what's the cost of] [shipping|delivery|express delivery|\
postage] [cost|][ to {country}|]
[do you|can you] [ship|deliver|send orders] to {country}[?|]
[what|which] [shipping|delivery] [options|methods|services] [do you have|do you offer|are \
available][ for {country}|]
[is there|do you have|do you offer] [free shipping|free delivery|same-day delivery|a pickup \
point option|click and collect|weekend delivery][ in {city}|]
[I'd like to know|can you tell me|I'm wondering] [the delivery times|how long delivery \
takes|the shipping costs|your delivery options] [for {country}|for orders to {city}|]
""",
    "shipping_address": """
[I want to|I need to|how do I|can I|please help me|I'd like to] [change|update|correct|\
fix|edit] [the|my] [shipping|delivery] address[ for {order}| on {order}|]
[I want to|I need to|how do I|can I|help me|I'd like to] [add|set up|save|create] a \
[new|second|different] [shipping|delivery] address
[I put|I entered|I typed|I gave you] the wrong [address|postcode|zip code|house number|\
street] [on|for] {order}
[please|can you|could you] [send|ship|deliver] {order} to [{street}|my new address|my work \
address|a different address] [instead|]
""",
    "order_change": """
[I want to|I need to|can I|how do I|I'd like to] [change|modify|edit|update|amend] \
[my order|{order}|the order I placed {when}][ before it ships|]
[can I|I want to|I'd like to|please] [add|remove] the {product} [to|from] [my order|{order}]
[can you|could you|please] change the size [on|in] [my order|{order}] to {size}[, it hasn't \
shipped yet|]
[can you|could you|please] change the [colour|quantity|size] [on|in] [my order|{order}] \
before you send it
I ordered [the wrong size|the wrong colour|the wrong model|too many] [and|,] [want to|need \
to|would like to] change it before [it ships|dispatch|you send it]
""",
    "order_cancel": """
[I want to|I need to|I'd like to|please|can you|how do I|can I] cancel [my order|{order}|the \
order I placed {when}|my purchase|the {product} I ordered]
[is there a|what's the|how much is the] cancellation [fee|charge|penalty][ for {order}|]
[please|pls|kindly] cancel [my order|{order}|it][,| -] [I ordered by mistake|I changed my \
mind|I don't need it anymore|I found it cheaper|it's taking too long]
[how do I|where can I|can I still] cancel [an order|my order|{order}][ online|]
""",
    "return_exchange": """
[I want to|I need to|I'd like to|how do I|can I] [return|send back] [the {product}|{order}|\
my purchase|an item]
[can I|I want to|I'd like to] exchange [the {product}|my {product}|it] for [a bigger size|a \
smaller size|size {size}|a different colour|the {colour} one]
[how long do I have to|what's the deadline to|until when can I] [return|send back|exchange] \
[an item|the {product}|my order]
[I need|can you send me|where do I get|how do I get] a return label[ for {order}|]
""",
    "refund": """
[where is|what's the status of|any update on|I'm still waiting for] my refund[ for {order}|]
[I want|I'd like|can I get|I need] a refund [for {order}|for the {product}|please|]
[when do I get|how long until I get|how long does it take to get] [my money back|my \
refund|the refund]
I [returned|sent back] the {product} {when} [and|but] [still no refund|haven't been \
refunded|the money isn't back yet]
[what is|can you explain|tell me about] your refund policy
""",
    "damaged_or_wrong_item": """
[the|my] {product} [broke|snapped|fell apart|cracked|ripped|stopped working] [after one \
use|after a week|the first time I used it|straight out of the box|on the second day]
[the|my] {product} [arrived|came|was delivered] [damaged|broken|scratched|cracked|in pieces]
[you sent me|I received|I got] the wrong [item|size|colour|product|model][ in {order}|]
[there's|there is] [an item|a part|something] missing [from|in] [my parcel|{order}|the box]
[the|my] {product} [is defective|is faulty|doesn't work|won't turn on|stopped working]
""",
    "payment_billing": """
[my|the] [payment|card|card payment|PayPal payment] [was declined|failed|didn't go through|\
keeps failing][ for {order}|]
[I was|I got|I've been] [charged twice|double charged|charged three times|overcharged] \
[for {order}|for one order|]
[my|the] [promo|discount|voucher|coupon] code [doesn't work|isn't working|is not valid|won't \
apply|was rejected]
[do you accept|can I pay with|can I use] {paymethod}[?|]
[what|which] [payment methods|payment options|cards] [do you accept|do you take|can I use]
""",
    "invoice": """
[I need|can I get|please send me|where can I download|how do I get] [an invoice|the \
invoice|a receipt|a VAT invoice|a copy of the invoice] for [{order}|my order|the {product}]
[the|my] invoice [is wrong|has the wrong name|is missing my VAT number|shows the wrong \
amount|never arrived]
[I need|please send] [an invoice|a receipt] [for my company|for my accountant|for expenses|\
with my company details]
""",
    "product_question": """
[is|do you have] the {product} [in stock|available|in {colour}|in size {size}][?|]
[when will|will] the {product} be [back in stock|available again|restocked]
[how do I|how can I|I want to|I'd like to] [buy|purchase|order] the {product}
what [sizes|colours] does the {product} come in
what is the {product} made of[?|]
does the {product} run [small|big|true to size][?|]
[I need help|help me|can you help me] [placing an order|buying the {product}|with a purchase|\
ordering online]
""",
    "account": """
[I forgot|I've forgotten|forgot|i lost] my [password|login details|username]
[how do I|I want to|I need to|help me|please] [delete|close|deactivate] my account
[how do I|I want to|how can I|help me] [create|open|set up|register] an account
[I can't|I cannot|I'm unable to] [log in|sign in|access my account|reset my password|\
register][ on the app| on the website|]
[how do I|I want to|please] [unsubscribe from|stop getting|sign up for|subscribe to] \
[the newsletter|your emails|marketing emails]
[how do I|I want to|can I] [edit|update|change] my [profile|email address|phone number|\
account details|name]
""",
    "complaint": """
[this is|that's|honestly this is] [outrageous|shocking|disgraceful|appalling|a joke|\
ridiculous][, I want to complain|, I'm making a complaint|!!|]
[the|your] [agent|advisor|representative|employee|manager] [was rude to me|ignored me|\
hung up on me|laughed at me|was condescending|refused to help me][ on the phone| in the \
chat| in the store|]
[I want to|I'd like to|how do I|where can I] [make|file|submit|raise] a complaint\
[ about {order}| about your service| about the delivery|]
[I'm|I am] [very|extremely|really|so] [unhappy|disappointed|dissatisfied|upset|angry] with \
[your service|your company|how I was treated|the way you handled this]
[your|the] [customer service|support team|staff|delivery service] [is|was] [terrible|\
awful|useless|a disgrace|unacceptable|really rude]
""",
    "feedback": """
[I want to|I'd like to|how do I|where can I] [leave|write|post|submit] a review[ for the \
{product}| of my order|]
[thanks|thank you|many thanks] [for the great service|for the fast delivery|for your \
help|to your support team|, I love the {product}]
[I'd like to|I want to|can I] [give|share|leave] [some feedback|a suggestion|my feedback] \
[about your website|on the app|about my order|]
""",
    "human_agent": """
[I want to|I'd like to|can I|I need to|let me] [talk|speak|chat] [to|with] [a human|a real \
person|an agent|a representative|someone from customer service|a manager]
[what's|what is|can you give me] [your|the] [customer service|support|helpline] [phone \
number|number|email address]
[can|could] [someone|an agent|a person] [call me|call me back|contact me][ on {phone}|]
[how do I|how can I] [contact|reach|get hold of] [customer service|customer support|a \
human|your support team]
""",
    "other": """
[how do I apply|can I apply|I'd like to apply|where can I apply] for [a job|a position|\
work|a warehouse job|a part-time job|an internship][ in {city}| with you|]
[are you looking for|do you need|are you recruiting] [staff|drivers|warehouse staff|\
seasonal workers|customer service people][ at the moment| in {city}|]
[do you have|are there] [any |][job openings|vacancies|open positions|internships] [at \
the moment|in {city}|for students|]
[is your [store|shop|showroom|outlet]|are your [stores|shops]] in {city} open [on sundays|on \
public holidays|late on thursdays|today]
[we are|I'm from|I work for] [a marketing agency|an SEO company|a logistics startup|a local \
newspaper|a design studio] [and would like to|and want to] [discuss a partnership|offer \
our services|interview someone from your team|propose a collaboration]
[hi|hello|hey][?|!|...|]
""",
}

PRODUCTS = [
    "phone case", "sofa", "jacket", "winter coat", "coffee machine", "laptop bag", "desk lamp",
    "dress", "backpack", "bluetooth speaker", "rug", "office chair", "t-shirt", "hoodie",
    "kettle", "blender", "watch", "bedding set", "mattress", "toaster", "vacuum cleaner",
    "kids' bike", "yoga mat", "handbag", "perfume", "board game", "frying pan set", "tablet",
    "sweater", "skincare set", "dining table", "air fryer", "baby stroller", "gaming mouse",
    "rain jacket", "smartwatch", "wardrobe", "suitcase", "lamp", "monitor", "phone charger",
    "power bank", "hair dryer",
]

SLOTS: dict[str, list[str]] = {
    "product": PRODUCTS,
    "a_product": [("an " if p[0] in "aeiou" else "a ") + p for p in PRODUCTS],
    "order": [
        "my order", "my last order", "my recent order", "order #{n}", "order {n}",
        "order no. {n}", "order number {n}", "my order #{n}", "my order {n}", "#{n}",
        "the order I placed {when}", "my order from {when}",
    ],
    "when": [
        "yesterday", "last week", "on Monday", "on Tuesday", "three days ago", "2 days ago",
        "two weeks ago", "last Friday", "this morning", "on the 12th", "a month ago",
        "over the weekend", "last night", "10 days ago", "on 3 March", "earlier today",
    ],
    "person": [
        "my wife", "my husband", "my mum", "my mom", "my dad", "my son", "my daughter",
        "my partner", "my girlfriend", "my boyfriend", "my sister", "my brother", "a friend",
        "my colleague", "my grandma",
    ],
    "size": ["S", "M", "L", "XL", "XS", "38", "40", "42", "44", "9", "10", "7.5", "medium"],
    "colour": ["black", "navy", "red", "white", "grey", "green", "beige", "blue", "pink"],
    "country": [
        "Canada", "Ireland", "Australia", "Norway", "Switzerland", "the US", "Mexico", "Japan",
        "New Zealand", "Iceland", "Germany", "the UK", "Northern Ireland", "Poland", "Brazil",
    ],
    "city": [
        "London", "Manchester", "Berlin", "Chicago", "Dublin", "Toronto", "Leeds", "Glasgow",
        "Bristol", "Boston",
    ],
    "carrier": ["DHL", "UPS", "FedEx", "DPD", "Royal Mail", "USPS", "Evri", "GLS"],
    "ndays": ["3", "4", "5", "6", "7", "8", "9", "10", "12", "14", "15", "20"],
    "amount": ["€49.99", "$120", "£35", "89 euros", "€12.90", "$64.50", "£210", "€149"],
    "paymethod": [
        "PayPal", "Apple Pay", "Google Pay", "Klarna", "a gift card", "bank transfer",
        "my Visa card", "Mastercard", "Amex", "a debit card",
    ],
    "street": [
        "12 Baker Street", "45 Elm Road, Apt 3B", "221 Oak Avenue", "18 Kingsway, flat 2",
        "350 Pine St", "9 Church Lane", "77 Station Road",
    ],
    "phone": ["+44 7700 900123", "555-0142", "07700 900456", "+1 202 555 0187", "0161 496 0000"],
    "email": [
        "j.smith@mail.com", "anna.k@gmail.com", "accounts@brightside-ltd.co.uk",
        "mike_r88@yahoo.com",
    ],
    "bulky": ["sofas", "mattresses", "wardrobes", "dining tables", "fridges"],
    "agent": ["Sarah", "Tom", "the guy on the phone", "Maria", "the lady in the chat", "Ben"],
    "num": ["#{n}", "{n}", "no. {n}"],
}

OPENERS = [
    "Hi,", "Hello,", "hey", "Hi there!", "Good morning.", "Quick question:", "hello?",
    "Excuse me,", "Hi team,", "Good afternoon,", "Hey there,", "hiya", "Hi, sorry to bother you.",
    "Hello, I need some help.", "ok so", "Hi! hope you're well.", "um hi",
]
CLOSERS = [
    "Thanks!", "thank you", "thx", "pls help", "Thanks in advance.", "asap please",
    "thanks a lot", "Cheers", "please respond", "many thanks", "ty", "please advise.",
]
GREETINGS = [
    "Hi,", "Hello,", "Hi there,", "Dear Customer Service,", "Dear Sir or Madam,",
    "Good morning,", "Hello team,", "To whom it may concern,", "Hey,", "Good afternoon,",
    "Dear Support Team,",
]
ORDER_CONTEXTS = [
    "I placed an order on your website {when}.", "I'm writing about {order}.",
    "I ordered the {product} {when}.", "My order number is {n}.",
    "I bought the {product} from you {when}.", "I'm contacting you regarding {order}.",
    "{person} ordered the {product} on my account {when}.",
]
GENERIC_CONTEXTS = [
    "I hope you're well.", "I've been a customer of yours for a few years now.",
    "I hope this is the right address for this.",
    "I tried the chat but it didn't help.", "I'm writing on behalf of {person}.",
]
FOLLOWUPS: dict[str, list[str]] = {
    "_default": [
        "Could you please look into this?", "Please let me know.",
        "I'd appreciate a quick reply.", "Looking forward to hearing from you.",
        "Please get back to me as soon as possible.", "Any help would be appreciated.",
        "Thanks for your help.",
    ],
    "complaint": [
        "I expect a proper answer this time.", "This is not acceptable.",
        "I'm really disappointed.", "I hope someone actually reads this.",
    ],
    "feedback": ["Have a nice day!", "Keep it up.", "Best wishes to the whole team."],
    "product_question": [
        "Thanks in advance.", "I'd like to order soon.", "Looking forward to hearing from you.",
    ],
    "other": ["Looking forward to hearing from you.", "Have a nice day.", ""],
    "human_agent": ["I'd rather explain it on the phone.", "It's urgent.", "Please call me."],
}
CLOSINGS = [
    "Thanks,", "Thank you,", "Kind regards,", "Best regards,", "Many thanks,", "Regards,",
    "Cheers,", "Thanks in advance,", "Best,", "Thanks again,",
]
NAMES = [
    "Sarah Miller", "James O'Connor", "Priya Patel", "Tom", "M. Rossi", "Laura Becker", "Chris",
    "Daniel Kim", "Emma W.", "Ahmed Hassan", "Kate", "Lucas Martin", "Olivia Brown", "Jo",
    "Mark Thompson", "Aisha",
]
TYPOS: dict[str, list[str]] = {
    "receive": ["recieve"], "received": ["recieved", "recived"], "address": ["adress", "addres"],
    "cancel": ["cancle", "cancell"], "cancelled": ["canceled", "cancled"],
    "cancelling": ["canceling", "cancling"], "order": ["oder", "ordr"],
    "package": ["pakage", "packge"], "parcel": ["parcell", "parsel"],
    "please": ["pls", "plz", "pleas"], "you": ["u"], "your": ["ur", "you're"],
    "don't": ["dont"], "can't": ["cant"], "i'm": ["im", "Im"], "want to": ["wanna"],
    "going to": ["gonna"], "because": ["cuz", "bc"], "thanks": ["thx", "thnx"],
    "thank you": ["thankyou", "ty"], "delivery": ["delivry", "dilivery"],
    "refund": ["refound", "refnd"], "account": ["acount", "accout"],
    "password": ["pasword", "passwrod"], "invoice": ["invoce", "invioce"],
    "shipping": ["shiping"], "arrived": ["arived"], "damaged": ["damadged"],
    "exchange": ["exchnage", "exhange"], "return": ["retrun"], "haven't": ["havent"],
    "didn't": ["didnt"], "doesn't": ["doesnt"], "isn't": ["isnt"], "it's": ["its"],
    "i've": ["ive"], "i'd": ["id"], "won't": ["wont"], "wasn't": ["wasnt"],
    "what's": ["whats"], "where's": ["wheres"], "there's": ["theres"], "let me": ["lemme"],
    "tracking": ["traking"], "payment": ["paymnet", "payement"], "customer": ["costumer"],
    "representative": ["representitive"], "possible": ["posible"], "already": ["allready"],
    "until": ["untill"], "really": ["realy"], "which": ["wich"],
    "receipt": ["reciept"], "definitely": ["definately"], "immediately": ["immediatly"],
    "necessary": ["neccessary"], "business": ["buisness"], "speak": ["speek"],
    "complaint": ["complain"], "message": ["mesage"], "before": ["b4"], "are": ["r"],
}

QUESTION_STARTS = (
    "how", "what", "where", "when", "why", "which", "who", "can", "could", "is", "are", "do",
    "does", "did", "has", "have", "will", "would", "was", "any", "whats", "wheres",
)

BANK = LanguageBank(
    code="en",
    core=CORE,
    templates=TEMPLATES,
    slots=SLOTS,
    openers=OPENERS,
    closers=CLOSERS,
    greetings=GREETINGS,
    order_contexts=ORDER_CONTEXTS,
    generic_contexts=GENERIC_CONTEXTS,
    followups=FOLLOWUPS,
    closings=CLOSINGS,
    names=NAMES,
    typos=TYPOS,
    question_starts=QUESTION_STARTS,
    email_rate=0.14,
    typo_rate=0.3,
)
