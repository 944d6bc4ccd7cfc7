from confluent_kafka import Producer

bootstrap_servers = 'localhost:9092'
topic = 'test-topic'

conf = {'bootstrap.servers': bootstrap_servers}
producer = Producer(conf)

def delivery_callback(err, msg):
    if err:
        print(f'Message delivery failed: {err}')
    else:
        print(f'Message delivered to topic {msg.topic()} [partition {msg.partition()}]')

message = 'Hello, Kafka!'
producer.produce(topic, value=message, callback=delivery_callback)

producer.flush()
